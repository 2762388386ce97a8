/// Where one-time sign-in links and admin sessions are kept. Only hashes of link and session tokens are stored.
public protocol AdminSessionStore: AuditStore {
    /// Stores a sign-in link for `email` that works once, until `expiresAt`, recording in the audit trail that `actor`
    /// issued it (never the link).
    func createLoginLink(tokenHash: [UInt8], email: String, createdAt: Int64, expiresAt: Int64, by actor: AuditActor) async throws
    /// Uses up the link with `tokenHash` if it is unused and not expired at `at`, returning its email; nil otherwise.
    /// Two concurrent redemptions of one link: exactly one gets the email.
    func redeemLoginLink(tokenHash: [UInt8], at: Int64) async throws -> String?
    /// Stores a new session and records that its email has signed in (in the audit trail too, from `address`).
    func createSession(_ session: AdminSession, address: String?) async throws
    /// The session with `tokenHash` if it has not ended by `at` (idle for longer than `idleTimeout` milliseconds,
    /// or past its expiry); marks it used when it was last seen more than a minute before `at`.
    func session(tokenHash: [UInt8], at: Int64, idleTimeout: Int64) async throws -> AdminSession?
    /// Ends a session (sign out), recorded in the audit trail as its admin's, from `address`, when there was one.
    func deleteSession(tokenHash: [UInt8], address: String?) async throws
    /// Whether any admin has ever signed in, by any method.
    func hasAnyAdminSignedIn() async throws -> Bool
}
