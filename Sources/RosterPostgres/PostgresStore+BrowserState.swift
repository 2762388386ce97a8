import Foundation
import PostgresNIO
import RosterCore

/// Flash values and pending OpenID Connect sign-ins (``BrowserStateStore``) in PostgreSQL, so that a browser's next
/// request may land on any replica. Hashes and sealed values are bound as `Data` (BYTEA).
extension PostgresStore {
    /// Replaces the value under (session, key), dropping expired values first.
    public func leaveFlash(sessionHash: [UInt8], key: String, sealed: [UInt8], at: Int64, expiresAt: Int64) async throws {
        let session = Data(sessionHash)
        let value = Data(sealed)
        try await write { transaction in
            try await transaction.execute("DELETE FROM admin_flash WHERE expires_at <= \(at)")
            try await transaction.execute(
                """
                INSERT INTO admin_flash (session_hash, key, sealed, expires_at) VALUES (\(session), \(key), \(value), \(expiresAt))
                ON CONFLICT (session_hash, key) DO UPDATE SET sealed = EXCLUDED.sealed, expires_at = EXCLUDED.expires_at
                """
            )
        }
    }

    /// Deletes and returns the value in one statement: of two concurrent takes, the second finds nothing.
    public func takeFlash(sessionHash: [UInt8], key: String, at: Int64) async throws -> [UInt8]? {
        let session = Data(sessionHash)
        let taken = try await read(onConnectionLoop: true) { reader in
            try await reader.first(
                "DELETE FROM admin_flash WHERE session_hash = \(session) AND key = \(key) RETURNING sealed, expires_at"
            ).map { try $0.decode((Data, Int64).self) }
        }
        guard let (sealed, expiresAt) = taken, expiresAt > at else { return nil }
        return Array(sealed)
    }

    /// Stores a sign-in after dropping expired ones and, when full, the oldest.
    public func savePendingSignIn(cookieHash: [UInt8], _ signIn: PendingSignIn, expiredBefore: Int64, capacity: Int) async throws {
        let cookie = Data(cookieHash)
        try await write { transaction in
            try await PostgresStore.makeRoom(transaction, in: .oidcSignIns, expiredBefore: expiredBefore, capacity: capacity)
            try await transaction.execute(
                """
                INSERT INTO oidc_pending_sign_in (cookie_hash, state, nonce, verifier, started_at)
                VALUES (\(cookie), \(signIn.state), \(signIn.nonce), \(signIn.verifier), \(signIn.startedAt))
                ON CONFLICT (cookie_hash) DO NOTHING
                """
            )
        }
    }

    /// Deletes and returns the sign-in in one statement, so that a callback is finished once.
    public func takePendingSignIn(cookieHash: [UInt8]) async throws -> PendingSignIn? {
        let cookie = Data(cookieHash)
        return try await read(onConnectionLoop: true) { reader in
            try await reader.first(
                "DELETE FROM oidc_pending_sign_in WHERE cookie_hash = \(cookie) RETURNING state, nonce, verifier, started_at"
            ).map { row in
                let (state, nonce, verifier, startedAt) = try row.decode((String, String, String, Int64).self)
                return PendingSignIn(state: state, nonce: nonce, verifier: verifier, startedAt: startedAt)
            }
        }
    }

    /// Stores a SAML request after dropping expired ones and, when full, the oldest.
    public func saveSAMLRequest(relayStateHash: [UInt8], _ request: PendingSAMLRequest, expiredBefore: Int64, capacity: Int) async throws {
        let relayState = Data(relayStateHash)
        try await write { transaction in
            try await PostgresStore.makeRoom(transaction, in: .samlRequests, expiredBefore: expiredBefore, capacity: capacity)
            try await transaction.execute(
                """
                INSERT INTO saml_pending_request (relay_state_hash, request_id, started_at)
                VALUES (\(relayState), \(request.requestID), \(request.startedAt))
                ON CONFLICT (relay_state_hash) DO NOTHING
                """
            )
        }
    }

    /// Deletes and returns the request in one statement, so that it is answered once.
    public func takeSAMLRequest(relayStateHash: [UInt8]) async throws -> PendingSAMLRequest? {
        let relayState = Data(relayStateHash)
        return try await read(onConnectionLoop: true) { reader in
            try await reader.first(
                "DELETE FROM saml_pending_request WHERE relay_state_hash = \(relayState) RETURNING request_id, started_at"
            ).map { row in
                let (requestID, startedAt) = try row.decode((String, Int64).self)
                return PendingSAMLRequest(requestID: requestID, startedAt: startedAt)
            }
        }
    }

    /// Inserts the assertion ID unless present; the primary key decides between concurrent uses.
    public func rememberSAMLAssertion(id: String, until: Int64, at: Int64) async throws -> Bool {
        try await write { transaction in
            try await transaction.execute("DELETE FROM saml_used_assertion WHERE remembered_until < \(at)")
            return try await transaction.first(
                """
                INSERT INTO saml_used_assertion (assertion_id, remembered_until) VALUES (\(id), \(until))
                ON CONFLICT (assertion_id) DO NOTHING RETURNING 1
                """
            ) != nil
        }
    }

    /// Drops the sign-ins in `table` that started before `expiredBefore` and, when `capacity` still wait, the oldest,
    /// so that one more fits.
    static func makeRoom(_ transaction: PostgresTransaction, in table: PendingSignInTable, expiredBefore: Int64, capacity: Int) async throws {
        try await transaction.execute("DELETE FROM \(unescaped: table.rawValue) WHERE started_at < \(expiredBefore)")
        let waiting = try await transaction.first("SELECT count(*) FROM \(unescaped: table.rawValue)").map { try $0.decode(Int.self) } ?? 0
        guard waiting >= capacity else { return }
        try await transaction.execute(
            """
            DELETE FROM \(unescaped: table.rawValue) WHERE ctid IN
                (SELECT ctid FROM \(unescaped: table.rawValue) ORDER BY started_at LIMIT \(waiting - capacity + 1))
            """
        )
    }
}
