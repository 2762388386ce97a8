import Foundation
import GRDB
import RosterCore

extension SQLiteStore: APIKeyStore {
    /// Stores a key's hash.
    public func createAPIKey(name: String, prefix: String, tokenHash: [UInt8]) async throws -> APIKey {
        let key = APIKey(id: SQLiteStore.newID(), name: name, prefix: prefix, createdAt: now(), lastUsedAt: nil, revokedAt: nil)
        try await commits.write { db in
            try db.execute(
                sql: "INSERT INTO api_key (id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [key.id, name, prefix, Data(tokenHash), key.createdAt]
            )
        }
        return key
    }

    /// Every key, newest first.
    public func apiKeys() async throws -> [APIKey] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_key ORDER BY created_at DESC, id")
                .map { APIKey(id: $0[0], name: $0[1], prefix: $0[2], createdAt: $0[3], lastUsedAt: $0[4], revokedAt: $0[5]) }
        }
    }

    /// Revokes a live key.
    public func revokeAPIKey(id: String) async throws -> Bool {
        let timestamp = now()
        return try await commits.write { db in
            try db.execute(sql: "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [timestamp, id])
            return db.changesCount > 0
        }
    }

    /// The live key with the hash; its last use is written at most once a minute.
    public func apiKeyID(tokenHash: [UInt8], at: Int64) async throws -> String? {
        let found = try await writer.read { db in
            let statement = try db.cachedStatement(sql: "SELECT id, last_used_at FROM api_key WHERE token_hash = ? AND revoked_at IS NULL")
            return try Row.fetchOne(statement, arguments: [Data(tokenHash)]).map { (id: $0[0] as String, lastUsed: $0[1] as Int64?) }
        }
        guard let found else { return nil }
        if at - (found.lastUsed ?? 0) > 60_000 {
            try await commits.write { db in
                try db.execute(sql: "UPDATE api_key SET last_used_at = ? WHERE id = ?", arguments: [at, found.id])
            }
        }
        return found.id
    }
}
