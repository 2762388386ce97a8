import GRDB
import RosterCore
import SCIM

/// One user or group row as read from SQLite.
typealias ResourceRow = ResourceRecord

extension ResourceRecord {
    /// Reads the columns of ``ResourceTable/selectColumns``; for a response, the document stays unparsed when it
    /// is in wire form.
    init(row: Row, forResponse: Bool = false) throws {
        try self.init(
            rowID: row[0],
            id: row[1],
            directoryID: row[2],
            createdAt: row[3],
            modifiedAt: row[4],
            version: row[5],
            document: row[6],
            forResponse: forResponse
        )
    }
}
