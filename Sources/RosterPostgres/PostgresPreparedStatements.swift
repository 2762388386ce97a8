import Foundation
import PostgresNIO
import RosterCore

/// The statements nearly every SCIM request runs, prepared once per connection (postgres-nio keeps them by name),
/// so PostgreSQL parses and plans them once instead of on every request: the token lookup of each request's
/// authentication, and a resource by id (read, and locked for a write).
enum PostgresPreparedStatements {
    /// The token hash of an enabled directory.
    struct TokenHash: PostgresPreparedStatement {
        static let sql = "SELECT token_hash FROM directory WHERE id = $1 AND enabled"
        typealias Row = Data
        /// The directory.
        var directoryID: String

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 1)
            binds.append(directoryID)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Data { try row.decode(Data.self) }
    }

    /// A user by id in a directory.
    struct User: ResourceByID {
        static let sql = ResourceByIDSQL.select(.user, lock: false)
        var id: String
        var directoryID: String
        /// Whether the row is read for a response only (its document left unparsed when it can be).
        var forResponse = false
    }

    /// A user by id in a directory, locked for the transaction.
    struct LockedUser: ResourceByID {
        static let sql = ResourceByIDSQL.select(.user, lock: true)
        var id: String
        var directoryID: String
    }

    /// A group by id in a directory.
    struct Group: ResourceByID {
        static let sql = ResourceByIDSQL.select(.group, lock: false)
        var id: String
        var directoryID: String
        /// Whether the row is read for a response only (its document left unparsed when it can be).
        var forResponse = false
    }

    /// A group by id in a directory, locked for the transaction.
    struct LockedGroup: ResourceByID {
        static let sql = ResourceByIDSQL.select(.group, lock: true)
        var id: String
        var directoryID: String
    }
}

/// A prepared lookup of one resource row by its public id and directory.
protocol ResourceByID: PostgresPreparedStatement where Row == ResourceRecord {
    /// The resource's id.
    var id: String { get }
    /// Its directory.
    var directoryID: String { get }
    /// Whether the row is read for a response only (``ResourceRecord/init(row:forResponse:)``).
    var forResponse: Bool { get }
}

extension ResourceByID {
    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 2)
        binds.append(id)
        binds.append(directoryID)
        return binds
    }

    /// Rows read to be changed are parsed.
    var forResponse: Bool { false }

    func decodeRow(_ row: PostgresRow) throws -> ResourceRecord { try ResourceRecord(row: row, forResponse: forResponse) }
}

/// The text of the ``ResourceByID`` statements.
enum ResourceByIDSQL {
    /// `SELECT` the columns of ``ResourceTable/selectColumns`` of one resource, `FOR NO KEY UPDATE` when `lock`.
    static func select(_ kind: ResourceKind, lock: Bool) -> String {
        let table = ResourceTable.of(kind)
        return "SELECT \(table.selectColumns) FROM \(table.name) \(table.alias) WHERE \(table.alias).id = $1 AND \(table.alias).directory_id = $2"
            + (lock ? " FOR NO KEY UPDATE" : "")
    }
}
