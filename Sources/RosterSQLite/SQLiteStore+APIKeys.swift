import Foundation
import GRDB
import RosterCore

extension SQLiteStore: APIKeyStore {
    /// Stores a key's hash, with its audit entry (the key only as issued) in the same transaction.
    public func createAPIKey(name: String, prefix: String, tokenHash: [UInt8], by actor: AuditActor) async throws -> APIKey {
        let key = APIKey(id: SQLiteStore.newID(), name: name, prefix: prefix, createdAt: now(), lastUsedAt: nil, revokedAt: nil)
        try await commits.write { db in
            try db.execute(
                sql: "INSERT INTO api_key (id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [key.id, name, prefix, Data(tokenHash), key.createdAt]
            )
            try AuditTrail.append(db, .apiKeyCreated(key, by: actor), at: key.createdAt)
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

    /// Revokes a live key, recording it by its name in the same transaction; false (and no entry) when there is no
    /// such live key.
    public func revokeAPIKey(id: String, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await commits.write { db in
            guard
                let key = try Row.fetchOne(
                    db,
                    sql: "SELECT id, name, prefix, created_at, last_used_at FROM api_key WHERE id = ? AND revoked_at IS NULL",
                    arguments: [id]
                ).map({ APIKey(id: $0[0], name: $0[1], prefix: $0[2], createdAt: $0[3], lastUsedAt: $0[4], revokedAt: timestamp) })
            else { return false }
            try db.execute(sql: "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [timestamp, id])
            try AuditTrail.append(db, .apiKeyRevoked(key, by: actor), at: timestamp)
            return true
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
