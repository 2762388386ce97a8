import Foundation
import PostgresNIO
import RosterCore

/// Read-API keys (``APIKeyStore``) in PostgreSQL. Only the key's hash is stored, bound as `Data` so that it reaches
/// PostgreSQL as BYTEA.
extension PostgresStore {
    /// Stores a new key's hash, with its audit entry (the key recorded only as issued).
    public func createAPIKey(name: String, prefix: String, tokenHash: [UInt8], by actor: AuditActor) async throws -> APIKey {
        let key = APIKey(id: PostgresStore.newID(), name: name, prefix: prefix, createdAt: now(), lastUsedAt: nil, revokedAt: nil)
        let hash = Data(tokenHash)
        try await write { transaction in
            try await transaction.execute(
                "INSERT INTO api_key (id, name, prefix, token_hash, created_at) VALUES (\(key.id), \(name), \(prefix), \(hash), \(key.createdAt))"
            )
            transaction.record(.apiKeyCreated(key, by: actor), at: key.createdAt)
        }
        return key
    }

    /// Every key, newest first (ties by id, compared bytewise as SQLite does).
    public func apiKeys() async throws -> [APIKey] {
        try await read { reader in
            try await reader.rows(
                "SELECT \(unescaped: PostgresStore.apiKeyColumns) FROM api_key ORDER BY created_at DESC, id COLLATE \"C\""
            ).map(PostgresStore.apiKey(from:))
        }
    }

    /// Revokes a live key, with its audit entry; false when there is no such key or it was revoked already (by this
    /// call's statement, so of two concurrent revocations exactly one returns true, and records the revocation).
    public func revokeAPIKey(id: String, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await write { transaction in
            guard
                let key = try await transaction.first(
                    """
                    UPDATE api_key SET revoked_at = \(timestamp) WHERE id = \(id) AND revoked_at IS NULL
                    RETURNING \(unescaped: PostgresStore.apiKeyColumns)
                    """
                ).map(PostgresStore.apiKey(from:))
            else { return false }
            transaction.record(.apiKeyRevoked(key, by: actor), at: timestamp)
            return true
        }
    }

    /// The id of the live key with the hash; its last use is written at most once a minute and never moved
    /// backwards by a slower concurrent request.
    public func apiKeyID(tokenHash: [UInt8], at: Int64) async throws -> String? {
        let hash = Data(tokenHash)
        let found = try await read { reader in
            try await reader.first("SELECT id, last_used_at FROM api_key WHERE token_hash = \(hash) AND revoked_at IS NULL")
                .map { try $0.decode((String, Int64?).self) }
        }
        guard let (id, lastUsed) = found else { return nil }
        if at - (lastUsed ?? 0) > 60_000 {
            try await write { transaction in
                try await transaction.execute(
                    "UPDATE api_key SET last_used_at = \(at) WHERE id = \(id) AND (last_used_at IS NULL OR last_used_at < \(at))"
                )
            }
        }
        return id
    }

    /// The columns ``apiKey(from:)`` decodes, in order.
    private static let apiKeyColumns = "id, name, prefix, created_at, last_used_at, revoked_at"

    /// A key from ``apiKeyColumns``.
    private static func apiKey(from row: PostgresRow) throws -> APIKey {
        let (id, name, prefix, createdAt, lastUsedAt, revokedAt) = try row.decode((String, String, String, Int64, Int64?, Int64?).self)
        return APIKey(id: id, name: name, prefix: prefix, createdAt: createdAt, lastUsedAt: lastUsedAt, revokedAt: revokedAt)
    }
}
