import Foundation
import PostgresNIO
import RosterCore

/// One-time sign-in links and admin sessions (``AdminSessionStore``) in PostgreSQL. Only hashes of link and session
/// tokens are stored; they are bound as `Data` so that they reach PostgreSQL as BYTEA.
extension PostgresStore {
    /// Stores a sign-in link, dropping links that expired more than a day ago, with its audit entry in the same
    /// transaction.
    public func createLoginLink(tokenHash: [UInt8], email: String, createdAt: Int64, expiresAt: Int64, by actor: AuditActor) async throws {
        let hash = Data(tokenHash)
        try await write { transaction in
            try await transaction.execute("DELETE FROM admin_login_link WHERE expires_at < \(createdAt - 86_400_000)")
            try await transaction.execute(
                "INSERT INTO admin_login_link (token_hash, email, created_at, expires_at) VALUES (\(hash), \(email), \(createdAt), \(expiresAt))"
            )
            transaction.record(.signInLinkIssued(email: email, by: actor), at: createdAt)
        }
    }

    /// Uses up a link in one statement: the second of two concurrent redemptions waits for the first's row lock,
    /// then finds `used_at` set and gets nothing.
    public func redeemLoginLink(tokenHash: [UInt8], at: Int64) async throws -> String? {
        let hash = Data(tokenHash)
        return try await write { transaction in
            try await transaction.first(
                """
                UPDATE admin_login_link SET used_at = \(at)
                WHERE token_hash = \(hash) AND used_at IS NULL AND expires_at > \(at)
                RETURNING email
                """
            ).map { try $0.decode(String.self) }
        }
    }

    /// Stores a session and records the sign-in (an upsert, so concurrent sign-ins of one email both count, and an
    /// audit entry from `address`), dropping sessions that have expired.
    public func createSession(_ session: AdminSession, address: String?) async throws {
        let hash = Data(session.tokenHash)
        let timestamp = now()
        try await write { transaction in
            try await transaction.execute("DELETE FROM admin_session WHERE expires_at < \(session.createdAt)")
            try await transaction.execute(
                """
                INSERT INTO admin_session (token_hash, email, method, csrf_token, created_at, last_seen_at, expires_at)
                VALUES (\(hash), \(session.email), \(session.method.rawValue), \(session.csrfToken), \(session.createdAt),
                    \(session.lastSeenAt), \(session.expiresAt))
                """
            )
            try await transaction.execute(
                """
                INSERT INTO admin_sign_in (email, method, first_at, last_at)
                VALUES (\(session.email.lowercased()), \(session.method.rawValue), \(session.createdAt), \(session.createdAt))
                ON CONFLICT (email) DO UPDATE SET method = EXCLUDED.method, last_at = EXCLUDED.last_at
                """
            )
            transaction.record(.signedIn(email: session.email, method: session.method, address: address), at: timestamp)
        }
    }

    /// The live session with `tokenHash`; an ended one is deleted.
    ///
    /// The common case is one read. The last-seen write never moves `last_seen_at` backwards (a slower request
    /// with an earlier `at` cannot undo a later one), and the delete of an ended session re-checks that it has
    /// ended, so a concurrent request that just used it is not lost. A session deleted meanwhile (signed out)
    /// is not returned.
    public func session(tokenHash: [UInt8], at: Int64, idleTimeout: Int64) async throws -> AdminSession? {
        let hash = Data(tokenHash)
        let stored = try await read { reader in
            try await reader.first(
                "SELECT email, method, csrf_token, created_at, last_seen_at, expires_at FROM admin_session WHERE token_hash = \(hash)"
            ).map { row in
                let (email, method, csrfToken, createdAt, lastSeenAt, expiresAt) = try row.decode(
                    (String, String, String, Int64, Int64, Int64).self
                )
                return AdminSession(
                    tokenHash: tokenHash,
                    email: email,
                    method: SignInMethod(rawValue: method),
                    csrfToken: csrfToken,
                    createdAt: createdAt,
                    lastSeenAt: lastSeenAt,
                    expiresAt: expiresAt
                )
            }
        }
        guard var session = stored else { return nil }
        if at >= session.expiresAt || at - session.lastSeenAt > idleTimeout {
            try await write { transaction in
                try await transaction.execute(
                    """
                    DELETE FROM admin_session
                    WHERE token_hash = \(hash) AND (expires_at <= \(at) OR \(at) - last_seen_at > \(idleTimeout))
                    """
                )
            }
            return nil
        }
        if at - session.lastSeenAt > 60_000 {
            let updated = try await write { transaction in
                try await transaction.rows(
                    """
                    UPDATE admin_session SET last_seen_at = GREATEST(last_seen_at, \(at))
                    WHERE token_hash = \(hash)
                    RETURNING token_hash
                    """
                )
            }
            guard !updated.isEmpty else { return nil }
            session.lastSeenAt = at
        }
        return session
    }

    /// Deletes a session; when there was one, records its admin's sign-out from `address` (the email read by the
    /// delete, so of two concurrent sign-outs of one session only the one that deleted it records).
    public func deleteSession(tokenHash: [UInt8], address: String?) async throws {
        let hash = Data(tokenHash)
        let timestamp = now()
        try await write { transaction in
            guard
                let email = try await transaction.first("DELETE FROM admin_session WHERE token_hash = \(hash) RETURNING email")?
                    .decode(String.self)
            else { return }
            transaction.record(.signedOut(email: email, address: address), at: timestamp)
        }
    }

    /// Whether anyone has ever signed in, by any method.
    public func hasAnyAdminSignedIn() async throws -> Bool {
        try await read { reader in
            try await reader.first("SELECT EXISTS (SELECT 1 FROM admin_sign_in)")?.decode(Bool.self) ?? false
        }
    }
}
