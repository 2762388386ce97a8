import PostgresNIO
import RosterCore
import SCIM

/// GET of one user for a response (by id, or the `filter=userName eq "…"` an identity provider sends before each
/// create) in one prepared statement: the row and its groups (a `json_agg` subquery of the same objects, in the same
/// order, as the two-statement read), one round trip that is its own snapshot. The SQLite store does the same
/// (``UserResponseRead`` there).
enum PostgresUserResponseRead {
    /// The statement's text for a lookup on `column` (`id` or `user_name_key`).
    static func sql(column: String) -> String {
        let table = ResourceTable.of(.user)
        return """
            SELECT \(table.selectColumns), COALESCE((
                SELECT json_agg(json_build_object('value', g.id, 'display', g.display_name, 'type', 'direct') ORDER BY m.group_row)
                FROM group_member m JOIN scim_group g ON g.row_id = m.group_row WHERE m.user_row = \(table.alias).row_id), '[]')::text
            FROM \(table.name) \(table.alias) WHERE \(table.alias).\(column) = $1 AND \(table.alias).directory_id = $2
            """
    }

    /// The user with an id, with its groups.
    struct ByID: PostgresUserLookup {
        static let sql = PostgresUserResponseRead.sql(column: "id")
        var key: String
        var directoryID: String
    }

    /// The user with a `userName` (lowercased), with its groups.
    struct ByUserName: PostgresUserLookup {
        static let sql = PostgresUserResponseRead.sql(column: "user_name_key")
        var key: String
        var directoryID: String
    }
}

/// A prepared lookup of one user with its groups, for a response.
protocol PostgresUserLookup: PostgresPreparedStatement where Row == StoredResource {
    /// The id or lowercased `userName`.
    var key: String { get }
    /// The directory.
    var directoryID: String { get }
}

extension PostgresUserLookup {
    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 2)
        binds.append(key)
        binds.append(directoryID)
        return binds
    }

    /// The user, its document unparsed when in wire form, with its groups when it has any.
    func decodeRow(_ row: PostgresRow) throws -> StoredResource {
        let (rowID, id, directoryID, createdAt, modifiedAt, version, document, groups) = try row.decode(
            (Int64, String, String, Int64, Int64, Int64, String, String).self
        )
        let record = try ResourceRecord(columns: (rowID, id, directoryID, createdAt, modifiedAt, version, document), forResponse: true)
        guard groups != "[]" else { return record.stored(.user) }
        return record.stored(.user, derived: JSONObject([("groups", try JSONParser().parse(groups))]))
    }
}
