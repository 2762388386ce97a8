import Foundation

/// Admin sign-in and sessions: one-time links, server-side sessions with idle and absolute expiry, and the
/// `SAML_ADMINS` check. The CLI issues links with it; the server redeems them and resolves session cookies with it.
/// Other sign-in methods (OIDC, SAML) end in ``startSession(email:method:address:)`` like the link does.
public struct AdminAccess<Store: AdminSessionStore>: Sendable {
    /// Where links and sessions are kept.
    public let store: Store
    /// Who may configure.
    public let admins: AdminAllowList
    /// The current time in milliseconds since 1970.
    public let now: @Sendable () -> Int64

    /// How long a sign-in link works: 15 minutes.
    public static var loginLinkLifetime: Int64 { 15 * 60_000 }
    /// How long a session may sit unused: 12 hours.
    public static var idleTimeout: Int64 { 12 * 3_600_000 }
    /// How long a session lasts however much it is used: 7 days.
    public static var sessionLifetime: Int64 { 7 * 86_400_000 }
    /// The path a sign-in link opens.
    public static var loginLinkPath: String { "/auth/login" }

    /// Makes the access policy over `store`.
    public init(store: Store, admins: AdminAllowList, now: @escaping @Sendable () -> Int64 = AdminAccess.systemNow) {
        self.store = store
        self.admins = admins
        self.now = now
    }

    /// The system clock in milliseconds since 1970.
    public static func systemNow() -> Int64 { WallClock.millisecondsSince1970() }

    /// Whether `email` may configure Roster.
    public func isAdmin(_ email: String) -> Bool { admins.contains(email) }

    /// Stores a new one-time link for an admin, recorded in the audit trail as issued by `actor`, and returns its URL
    /// under `baseURL`.
    public func issueLoginLink(for email: String, baseURL: String, by actor: AuditActor) async throws(AdminAccessError) -> String {
        guard !admins.isEmpty else { throw .noAdmins }
        guard isAdmin(email) else { throw .notAnAdmin(email) }
        let (token, hash) = BearerToken.generate()
        let created = now()
        do {
            try await store.createLoginLink(
                tokenHash: hash,
                email: email.trimmed().lowercased(),
                createdAt: created,
                expiresAt: created + Self.loginLinkLifetime,
                by: actor
            )
        } catch {
            throw .storage(String(describing: error))
        }
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        return root + Self.loginLinkPath + "?token=" + token
    }

    /// Uses up a sign-in link's token and starts a session for its email, for a browser at `address`; nil when the
    /// link is unknown, used or expired (recorded in the audit trail as a refused sign-in).
    public func signIn(withLinkToken token: String, address: String?) async throws -> StartedSession? {
        guard !token.isEmpty, let email = try await store.redeemLoginLink(tokenHash: BearerToken.hash(token), at: now()) else {
            try await recordFailedSignIn(email: nil, method: .loginLink, reason: "invalid_link", address: address)
            return nil
        }
        return try await startSession(email: email, method: .loginLink, address: address)
    }

    /// Records a refused sign-in in the audit trail: the method, a stable reason code, and the email the attempt
    /// proved when there is one (never a link, code, token or assertion).
    public func recordFailedSignIn(email: String?, method: SignInMethod, reason: String, address: String?) async throws {
        try await store.recordAudit(.signInFailed(email: email, method: method, reason: reason, address: address))
    }

    /// Starts a session for someone whose identity a sign-in method has proven, from a browser at `address`; the
    /// sign-in is recorded in the audit trail with the session.
    public func startSession(email: String, method: SignInMethod, address: String?) async throws -> StartedSession {
        let (token, hash) = BearerToken.generate()
        let started = now()
        let session = AdminSession(
            tokenHash: hash,
            email: email,
            method: method,
            csrfToken: BearerToken.generate().token,
            createdAt: started,
            lastSeenAt: started,
            expiresAt: started + Self.sessionLifetime
        )
        try await store.createSession(session, address: address)
        return StartedSession(token: token, session: session)
    }

    /// The live session a cookie's token names; nil when there is none or it has ended.
    public func session(forToken token: String) async throws -> AdminSession? {
        guard !token.isEmpty else { return nil }
        return try await store.session(tokenHash: BearerToken.hash(token), at: now(), idleTimeout: Self.idleTimeout)
    }

    /// Ends the session a cookie's token names, for a browser at `address` (recorded in the audit trail).
    public func signOut(token: String, address: String?) async throws {
        try await store.deleteSession(tokenHash: BearerToken.hash(token), address: address)
    }
}

/// A session just started: the token for the browser's cookie, and the stored session.
public struct StartedSession: Sendable, Hashable {
    /// The secret the cookie carries; only its hash is stored.
    public var token: String
    /// The session.
    public var session: AdminSession
}

/// Why a sign-in link cannot be issued.
public enum AdminAccessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `SAML_ADMINS` is empty.
    case noAdmins
    /// The email is not in `SAML_ADMINS`.
    case notAnAdmin(String)
    /// The store failed.
    case storage(String)

    /// The problem in words.
    public var description: String {
        switch self {
        case .noAdmins:
            "SAML_ADMINS is empty: set it to a comma-separated list of admin emails, such as SAML_ADMINS=you@example.com"
        case .notAnAdmin(let email):
            "\(email) is not listed in SAML_ADMINS, so it cannot sign in to the settings pages"
        case .storage(let detail):
            "cannot store the sign-in link: \(detail)"
        }
    }
}
