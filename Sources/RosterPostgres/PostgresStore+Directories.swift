import Foundation
import PostgresNIO
import RosterCore
import SCIM

extension PostgresStore {
    /// Creates a directory, with its audit entry (the token recorded only as issued).
    public func createDirectory(name: String, provider: DirectoryProvider, tokenHash: [UInt8], by actor: AuditActor) async throws -> Directory {
        let directory = Directory(id: PostgresStore.newID(), name: name, provider: provider, createdAt: now())
        try await write { transaction in
            try await transaction.execute(
                """
                INSERT INTO directory (id, name, provider, token_hash, enabled, created_at)
                VALUES (\(directory.id), \(directory.name), \(directory.provider.rawValue), \(Data(tokenHash)), TRUE, \(directory.createdAt))
                """
            )
            transaction.record(.directoryCreated(directory, by: actor), at: directory.createdAt)
        }
        return directory
    }

    /// Every directory, oldest first.
    public func directories() async throws -> [Directory] {
        try await read { reader in
            try await reader.rows("SELECT id, name, provider, enabled, created_at FROM directory ORDER BY created_at, id COLLATE \"C\"").map(
                PostgresStore.directory(from:)
            )
        }
    }

    /// The directory with `id`.
    public func directory(id: String) async throws -> Directory? {
        try await read { reader in
            try await reader.first("SELECT id, name, provider, enabled, created_at FROM directory WHERE id = \(id)").map(
                PostgresStore.directory(from:)
            )
        }
    }

    /// The token hash of an enabled directory (``TokenHashCache``: read at most once a second per
    /// directory).
    public func tokenHash(directoryID: String) async throws -> [UInt8]? {
        try await tokenHashes.hash(for: directoryID) {
            try await read(onConnectionLoop: true) { reader in
                try await reader.rows(PostgresPreparedStatements.TokenHash(directoryID: directoryID)).first.map { Array($0) }
            }
        }
    }

    /// Replaces a directory's token hash, recorded as a rotation by `actor`; false when there is no such directory.
    public func replaceTokenHash(directoryID: String, tokenHash: [UInt8], by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await tokenHashes.forgetting(directoryID) {
            try await write { transaction in
                guard
                    let directory = try await transaction.first(
                        """
                        UPDATE directory SET token_hash = \(Data(tokenHash)) WHERE id = \(directoryID)
                        RETURNING \(unescaped: PostgresStore.directoryColumns)
                        """
                    ).map(PostgresStore.directory(from:))
                else { return false }
                transaction.record(.directoryTokenRotated(directory, by: actor), at: timestamp)
                return true
            }
        }
    }

    /// Deletes a directory and everything in it; its users leave their teams first (with events). The audit entry
    /// keeps the directory as it was.
    public func deleteDirectory(id: String, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await tokenHashes.forgetting(id) {
            try await write { transaction in
                guard
                    let directory = try await transaction.first(
                        "SELECT \(unescaped: PostgresStore.directoryColumns) FROM directory WHERE id = \(id) FOR UPDATE"
                    ).map(PostgresStore.directory(from:))
                else { return false }
                let teams = PostgresTeamSync(transaction: transaction, at: timestamp)
                for row in try await transaction.rows(
                    """
                    SELECT DISTINCT t.user_row FROM team_membership t JOIN scim_user u ON u.row_id = t.user_row
                    WHERE u.directory_id = \(id) ORDER BY t.user_row
                    """
                ) {
                    try await teams.userDeleting(userRow: try row.decode(Int64.self))
                }
                try await transaction.execute("DELETE FROM directory WHERE id = \(id)")
                // Its rows' triggers have brought its counts to zero; the rows go with it.
                try await transaction.execute("DELETE FROM resource_count WHERE directory_id = \(id)")
                transaction.record(.directoryDeleted(directory, by: actor), at: timestamp)
                return true
            }
        }
    }

    /// Recorded warnings, newest first.
    public func warnings(directoryID: String, limit: Int) async throws -> [DirectoryWarning] {
        try await read { reader in
            try await reader.rows(
                "SELECT at, message FROM directory_warning WHERE directory_id = \(directoryID) ORDER BY row_id DESC LIMIT \(Int64(max(0, limit)))"
            ).map { row in
                let (at, message) = try row.decode((Int64, String).self)
                return DirectoryWarning(at: at, message: message)
            }
        }
    }

    /// The columns ``directory(from:)`` decodes, in order.
    private static let directoryColumns = "id, name, provider, enabled, created_at"

    private static func directory(from row: PostgresRow) throws -> Directory {
        let (id, name, provider, enabled, createdAt) = try row.decode((String, String, String, Bool, Int64).self)
        return Directory(id: id, name: name, provider: DirectoryProvider(rawValue: provider) ?? .generic, enabled: enabled, createdAt: createdAt)
    }
}
