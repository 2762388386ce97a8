import GRDB
import RosterCore
import SCIM

/// One user or group row as read from SQLite.
struct ResourceRow: Sendable {
    /// The internal row id, used by membership rows.
    var rowID: Int64
    /// The public id.
    var id: String
    /// The directory it belongs to.
    var directoryID: String
    /// Milliseconds since 1970 of creation.
    var createdAt: Int64
    /// Milliseconds since 1970 of the last change.
    var modifiedAt: Int64
    /// The version counter.
    var version: Int64
    /// The stored attributes.
    var attributes: JSONObject

    /// A row as just written, without reading it back.
    init(rowID: Int64, id: String, directoryID: String, createdAt: Int64, modifiedAt: Int64, version: Int64, attributes: JSONObject) {
        self.rowID = rowID
        self.id = id
        self.directoryID = directoryID
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
        self.version = version
        self.attributes = attributes
    }

    /// Reads the columns of ``ResourceTable/selectColumns``.
    init(row: Row) throws {
        rowID = row[0]
        id = row[1]
        directoryID = row[2]
        createdAt = row[3]
        modifiedAt = row[4]
        version = row[5]
        let document: String = row[6]
        guard let object = try JSONParser().parse(document).objectValue else {
            throw StoreCorruption(detail: "the document of \(id) is not a JSON object")
        }
        attributes = object
    }

    /// The stored resource, with `derived` attributes.
    func stored(_ kind: ResourceKind, derived: JSONObject = JSONObject()) -> StoredResource {
        StoredResource(
            kind: kind,
            id: id,
            directoryID: directoryID,
            attributes: attributes,
            derived: derived,
            createdAt: createdAt,
            modifiedAt: modifiedAt,
            version: version
        )
    }
}
