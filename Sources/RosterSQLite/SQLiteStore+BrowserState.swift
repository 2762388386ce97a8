import Foundation
import GRDB
import RosterCore

extension SQLiteStore: BrowserStateStore {
    /// Replaces the value under (session, key), dropping expired values first.
    public func leaveFlash(sessionHash: [UInt8], key: String, sealed: [UInt8], at: Int64, expiresAt: Int64) async throws {
        try await commits.write { db in
            try db.execute(sql: "DELETE FROM admin_flash WHERE expires_at <= ?", arguments: [at])
            try db.execute(
                sql: "INSERT OR REPLACE INTO admin_flash (session_hash, key, sealed, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [Data(sessionHash), key, Data(sealed), expiresAt]
            )
        }
    }

    /// Looks first without writing (most page views have nothing waiting), then deletes and returns the value.
    public func takeFlash(sessionHash: [UInt8], key: String, at: Int64) async throws -> [UInt8]? {
        let waiting = try await writer.read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM admin_flash WHERE session_hash = ? AND key = ?)",
                arguments: [Data(sessionHash), key]
            ) ?? false
        }
        guard waiting else { return nil }
        let taken = try await commits.write { db in
            try Row.fetchOne(
                db,
                sql: "DELETE FROM admin_flash WHERE session_hash = ? AND key = ? RETURNING sealed, expires_at",
                arguments: [Data(sessionHash), key]
            ).map { row -> (Data, Int64) in (row[0], row[1]) }
        }
        guard let (sealed, expiresAt) = taken, expiresAt > at else { return nil }
        return Array(sealed)
    }

    /// Stores a sign-in after dropping expired ones and, when full, the oldest.
    public func savePendingSignIn(cookieHash: [UInt8], _ signIn: PendingSignIn, expiredBefore: Int64, capacity: Int) async throws {
        try await commits.write { db in
            try SQLiteStore.makeRoom(db, in: .oidcSignIns, expiredBefore: expiredBefore, capacity: capacity)
            try db.execute(
                sql: "INSERT OR REPLACE INTO oidc_pending_sign_in (cookie_hash, state, nonce, verifier, started_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [Data(cookieHash), signIn.state, signIn.nonce, signIn.verifier, signIn.startedAt]
            )
        }
    }

    /// Deletes and returns the sign-in in one statement, so that a callback is finished once.
    public func takePendingSignIn(cookieHash: [UInt8]) async throws -> PendingSignIn? {
        try await commits.write { db in
            try Row.fetchOne(
                db,
                sql: "DELETE FROM oidc_pending_sign_in WHERE cookie_hash = ? RETURNING state, nonce, verifier, started_at",
                arguments: [Data(cookieHash)]
            ).map { row in PendingSignIn(state: row[0], nonce: row[1], verifier: row[2], startedAt: row[3]) }
        }
    }

    /// Stores a SAML request after dropping expired ones and, when full, the oldest.
    public func saveSAMLRequest(relayStateHash: [UInt8], _ request: PendingSAMLRequest, expiredBefore: Int64, capacity: Int) async throws {
        try await commits.write { db in
            try SQLiteStore.makeRoom(db, in: .samlRequests, expiredBefore: expiredBefore, capacity: capacity)
            try db.execute(
                sql: "INSERT OR REPLACE INTO saml_pending_request (relay_state_hash, request_id, started_at) VALUES (?, ?, ?)",
                arguments: [Data(relayStateHash), request.requestID, request.startedAt]
            )
        }
    }

    /// Deletes and returns the request in one statement, so that it is answered once.
    public func takeSAMLRequest(relayStateHash: [UInt8]) async throws -> PendingSAMLRequest? {
        try await commits.write { db in
            try Row.fetchOne(
                db,
                sql: "DELETE FROM saml_pending_request WHERE relay_state_hash = ? RETURNING request_id, started_at",
                arguments: [Data(relayStateHash)]
            ).map { row in PendingSAMLRequest(requestID: row[0], startedAt: row[1]) }
        }
    }

    /// Inserts the assertion ID unless present; the primary key decides between concurrent uses.
    public func rememberSAMLAssertion(id: String, until: Int64, at: Int64) async throws -> Bool {
        try await commits.write { db in
            try db.execute(sql: "DELETE FROM saml_used_assertion WHERE remembered_until < ?", arguments: [at])
            try db.execute(
                sql: "INSERT INTO saml_used_assertion (assertion_id, remembered_until) VALUES (?, ?) ON CONFLICT (assertion_id) DO NOTHING",
                arguments: [id, until]
            )
            return db.changesCount > 0
        }
    }

    /// Drops the sign-ins in `table` that started before `expiredBefore` and, when `capacity` still wait, the oldest,
    /// so that one more fits.
    static func makeRoom(_ db: Database, in table: PendingSignInTable, expiredBefore: Int64, capacity: Int) throws {
        try db.execute(sql: "DELETE FROM \(table.rawValue) WHERE started_at < ?", arguments: [expiredBefore])
        let waiting = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.rawValue)") ?? 0
        guard waiting >= capacity else { return }
        try db.execute(
            sql: "DELETE FROM \(table.rawValue) WHERE rowid IN (SELECT rowid FROM \(table.rawValue) ORDER BY started_at LIMIT ?)",
            arguments: [waiting - capacity + 1]
        )
    }
}
