import Foundation
import GRDB
import GRDBSQLite
import RosterCore
import SCIM

/// GET of one user for a response (by id, or the `filter=userName eq "…"` an identity provider sends before each
/// create), in one statement: the row and its groups (a `json_group_array` subquery), so that
/// SQLite needs no explicit transaction for a consistent answer, with the columns read straight from the prepared
/// statement. GRDB's cursor and row copy, and the `BEGIN`/`COMMIT` around two statements, cost as much as the lookup
/// itself: this is the hottest read an identity provider makes.
enum UserResponseRead {
    /// Which user.
    enum Key {
        /// The user with this id.
        case id(String)
        /// The user whose `userName`, lowercased, is this (unique in a directory).
        case userNameKey(String)

        /// The column compared.
        var column: String {
            switch self {
            case .id: "id"
            case .userNameKey: "user_name_key"
            }
        }

        /// The value compared.
        var value: String {
            switch self {
            case .id(let value), .userNameKey(let value): value
            }
        }
    }

    /// The statement: the columns of ``ResourceTable/selectColumns`` and, when asked for, the groups as a JSON array of
    /// the same objects ``SQLiteStore/derived(_:_:rowID:)`` builds, in the same order.
    static func sql(_ key: Key, includeGroups: Bool) -> String {
        let table = ResourceTable.of(.user)
        let groups =
            includeGroups
            ? """
            (SELECT json_group_array(json_object('value', g.id, 'display', g.display_name, 'type', 'direct')) FROM (
                SELECT g.id, g.display_name FROM group_member m JOIN scim_group g ON g.row_id = m.group_row
                WHERE m.user_row = \(table.alias).row_id ORDER BY m.group_row) g)
            """ : "'[]'"
        return
            "SELECT \(table.selectColumns), \(groups) FROM \(table.name) \(table.alias) WHERE \(table.alias).\(key.column) = ? AND \(table.alias).directory_id = ?"
    }

    /// The user `key` names in the directory, its document unparsed when in wire form; nil when there is none.
    static func user(_ db: Database, directoryID: String, _ key: Key, includeGroups: Bool) throws -> StoredResource? {
        let statement = try db.cachedStatement(sql: sql(key, includeGroups: includeGroups))
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        guard sqlite3_bind_text(handle, 1, key.value, -1, transient) == SQLITE_OK,
            sqlite3_bind_text(handle, 2, directoryID, -1, transient) == SQLITE_OK
        else { throw DatabaseError(resultCode: .SQLITE_ERROR, message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
        switch sqlite3_step(handle) {
        case SQLITE_ROW: break
        case SQLITE_DONE: return nil
        case let code: throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        let record = try ResourceRecord(
            rowID: sqlite3_column_int64(handle, 0),
            id: text(handle, 1),
            directoryID: text(handle, 2),
            createdAt: sqlite3_column_int64(handle, 3),
            modifiedAt: sqlite3_column_int64(handle, 4),
            version: sqlite3_column_int64(handle, 5),
            document: text(handle, 6),
            forResponse: true
        )
        let groups = text(handle, 7)
        guard groups != "[]" else { return record.stored(.user) }
        return record.stored(.user, derived: JSONObject([("groups", try JSONParser().parse(groups))]))
    }

    /// A text column (UTF-8, as stored).
    private static func text(_ handle: OpaquePointer, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }
}
