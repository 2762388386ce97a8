import Foundation
import PostgresNIO
import RosterCore

/// Read-API keys (``APIKeyStore``) in PostgreSQL. Only the key's hash is stored, bound as `Data` so that it reaches
/// PostgreSQL as BYTEA.
extension PostgresStore {
    /// Stores a new key's hash.
    public func createAPIKey(name: String, prefix: String, tokenHash: [UInt8]) async throws -> APIKey {
        let key = APIKey(id: PostgresStore.newID(), name: name, prefix: prefix, createdAt: now(), lastUsedAt: nil, revokedAt: nil)
        let hash = Data(tokenHash)
        try await write { transaction in
            try await transaction.execute(
                "INSERT INTO api_key (id, name, prefix, token_hash, created_at) VALUES (\(key.id), \(name), \(prefix), \(hash), \(key.createdAt))"
            )
        }
        return key
    }

    /// Every key, newest first (ties by id, compared bytewise as SQLite does).
    public func apiKeys() async throws -> [APIKey] {
        try await read { reader in
            try await reader.rows(
                "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_key ORDER BY created_at DESC, id COLLATE \"C\""
            ).map { row in
                let (id, name, prefix, createdAt, lastUsedAt, revokedAt) = try row.decode(
                    (String, String, String, Int64, Int64?, Int64?).self
                )
                return APIKey(id: id, name: name, prefix: prefix, createdAt: createdAt, lastUsedAt: lastUsedAt, revokedAt: revokedAt)
            }
        }
    }

    /// Revokes a live key; false when there is no such key or it was revoked already (by this call's statement,
    /// so of two concurrent revocations exactly one returns true).
    public func revokeAPIKey(id: String) async throws -> Bool {
        let timestamp = now()
        return try await write { transaction in
            try await !transaction.rows("UPDATE api_key SET revoked_at = \(timestamp) WHERE id = \(id) AND revoked_at IS NULL RETURNING id")
                .isEmpty
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
}
