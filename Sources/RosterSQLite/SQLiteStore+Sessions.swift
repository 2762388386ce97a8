import Foundation
import GRDB
import RosterCore

extension SQLiteStore: AdminSessionStore {
    /// Stores a sign-in link, dropping links that expired more than a day ago, with its audit entry in the same
    /// transaction.
    public func createLoginLink(tokenHash: [UInt8], email: String, createdAt: Int64, expiresAt: Int64, by actor: AuditActor) async throws {
        try await commits.write { db in
            try db.execute(sql: "DELETE FROM admin_login_link WHERE expires_at < ?", arguments: [createdAt - 86_400_000])
            try db.execute(
                sql: "INSERT INTO admin_login_link (token_hash, email, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [Data(tokenHash), email, createdAt, expiresAt]
            )
            try AuditTrail.append(db, .signInLinkIssued(email: email, by: actor), at: createdAt)
        }
    }

    /// Uses up a link in one statement, so that only one of two concurrent redemptions succeeds.
    public func redeemLoginLink(tokenHash: [UInt8], at: Int64) async throws -> String? {
        try await commits.write { db in
            try String.fetchOne(
                db,
                sql: """
                    UPDATE admin_login_link SET used_at = ?
                    WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
                    RETURNING email
                    """,
                arguments: [at, Data(tokenHash), at]
            )
        }
    }

    /// Stores a session and records the sign-in (in `admin_sign_in` and the audit trail, from `address`), dropping
    /// sessions that have expired.
    public func createSession(_ session: AdminSession, address: String?) async throws {
        let timestamp = now()
        try await commits.write { db in
            try db.execute(sql: "DELETE FROM admin_session WHERE expires_at < ?", arguments: [session.createdAt])
            try db.execute(
                sql: """
                    INSERT INTO admin_session (token_hash, email, method, csrf_token, created_at, last_seen_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(session.tokenHash), session.email, session.method.rawValue, session.csrfToken, session.createdAt,
                    session.lastSeenAt, session.expiresAt,
                ]
            )
            try db.execute(
                sql: """
                    INSERT INTO admin_sign_in (email, method, first_at, last_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (email) DO UPDATE SET method = excluded.method, last_at = excluded.last_at
                    """,
                arguments: [session.email.lowercased(), session.method.rawValue, session.createdAt, session.createdAt]
            )
            try AuditTrail.append(db, .signedIn(email: session.email, method: session.method, address: address), at: timestamp)
        }
    }

    /// The live session with `tokenHash`; an ended one is deleted.
    public func session(tokenHash: [UInt8], at: Int64, idleTimeout: Int64) async throws -> AdminSession? {
        let stored = try await writer.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT email, method, csrf_token, created_at, last_seen_at, expires_at FROM admin_session WHERE token_hash = ?",
                arguments: [Data(tokenHash)]
            ).map { row in
                AdminSession(
                    tokenHash: tokenHash,
                    email: row[0],
                    method: SignInMethod(rawValue: row[1]),
                    csrfToken: row[2],
                    createdAt: row[3],
                    lastSeenAt: row[4],
                    expiresAt: row[5]
                )
            }
        }
        guard var session = stored else { return nil }
        if at >= session.expiresAt || at - session.lastSeenAt > idleTimeout {
            // An ended session is dropped, not signed out: no admin did anything, so the audit trail records nothing.
            try await commits.write { db in
                try db.execute(sql: "DELETE FROM admin_session WHERE token_hash = ?", arguments: [Data(tokenHash)])
            }
            return nil
        }
        if at - session.lastSeenAt > 60_000 {
            try await commits.write { db in
                try db.execute(sql: "UPDATE admin_session SET last_seen_at = ? WHERE token_hash = ?", arguments: [at, Data(tokenHash)])
            }
            session.lastSeenAt = at
        }
        return session
    }

    /// Deletes a session (sign out), recording its admin's sign-out from `address` in the same transaction when
    /// there was one.
    public func deleteSession(tokenHash: [UInt8], address: String?) async throws {
        let timestamp = now()
        try await commits.write { db in
            let email = try String.fetchOne(db, sql: "SELECT email FROM admin_session WHERE token_hash = ?", arguments: [Data(tokenHash)])
            try db.execute(sql: "DELETE FROM admin_session WHERE token_hash = ?", arguments: [Data(tokenHash)])
            guard db.changesCount > 0, let email else { return }
            try AuditTrail.append(db, .signedOut(email: email, address: address), at: timestamp)
        }
    }

    /// Whether anyone has signed in.
    public func hasAnyAdminSignedIn() async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM admin_sign_in)") ?? false
        }
    }
}
