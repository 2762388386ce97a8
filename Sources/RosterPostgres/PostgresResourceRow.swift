import Logging
import PostgresNIO
import RosterCore
import SCIM

/// One user or group row as read from PostgreSQL.
typealias PostgresResourceRow = ResourceRecord

extension ResourceRecord {
    /// The columns of ``ResourceTable/selectColumns`` as PostgreSQL sends them: row id, id, directory, created,
    /// modified, version, document.
    typealias PostgresColumns = (Int64, String, String, Int64, Int64, Int64, String)

    /// Decodes the columns of ``ResourceTable/selectColumns``; for a response, the document stays unparsed when it
    /// is in wire form.
    init(row: PostgresRow, forResponse: Bool = false) throws {
        try self.init(columns: try row.decode(PostgresColumns.self), forResponse: forResponse)
    }

    /// Makes a record of the decoded columns of ``ResourceTable/selectColumns`` (``PostgresColumns``); for a
    /// response, the document stays unparsed when it is in wire form.
    init(columns: PostgresColumns, forResponse: Bool) throws {
        try self.init(
            rowID: columns.0,
            id: columns.1,
            directoryID: columns.2,
            createdAt: columns.3,
            modifiedAt: columns.4,
            version: columns.5,
            document: columns.6,
            forResponse: forResponse
        )
    }
}

/// Something that runs queries: a reader or a transaction.
protocol PostgresQuerying {
    /// The connection the queries run on.
    var connection: PostgresConnection { get }
    /// Where queries log.
    var logger: Logger { get }
}

extension PostgresReader: PostgresQuerying {}
extension PostgresTransaction: PostgresQuerying {}

extension PostgresQuerying {
    /// Every row of a query.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try connection.requireOpen()
        return try await connection.query(query, logger: logger).collect()
    }

    /// Every row of a prepared statement (``PostgresPreparedStatements``).
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        try connection.requireOpen()
        var rows: [Statement.Row] = []
        for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
        return rows
    }

    /// The first row of a query, if any.
    func first(_ query: PostgresQuery) async throws -> PostgresRow? {
        try await rows(query).first
    }

    /// The derived attributes of a resource: a group's `members` (`[]` when empty, as Okta and Entra expect after
    /// a create) or a user's `groups` (absent when none), read from the membership table.
    func derived(_ kind: ResourceKind, rowID: Int64) async throws -> JSONObject {
        switch kind {
        case .group:
            let members = try await rows(
                "SELECT u.id FROM group_member m JOIN scim_user u ON u.row_id = m.user_row WHERE m.group_row = \(rowID) ORDER BY m.user_row"
            ).map { row -> JSONValue in
                .object(JSONObject([("value", .string(try row.decode(String.self))), ("type", "User")]))
            }
            return JSONObject([("members", .array(members))])
        case .user:
            let groups = try await rows(
                """
                SELECT g.id, g.display_name FROM group_member m JOIN scim_group g ON g.row_id = m.group_row
                WHERE m.user_row = \(rowID) ORDER BY m.group_row
                """
            ).map { row -> JSONValue in
                let (id, name) = try row.decode((String, String).self)
                return .object(JSONObject([("value", .string(id)), ("display", .string(name)), ("type", "direct")]))
            }
            return groups.isEmpty ? JSONObject() : JSONObject([("groups", .array(groups))])
        }
    }
}
