/// How an admin signed in. The one-time link is the first method; OIDC and SAML sign-in add theirs beside it.
public struct SignInMethod: RawRepresentable, Sendable, Hashable, Codable {
    /// The stored name.
    public var rawValue: String

    /// Makes a method from its stored name.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A one-time sign-in link (`roster login-link`, or the one `roster serve` prints at first start).
    public static let loginLink = SignInMethod(rawValue: "login-link")
    /// Signed in with the identity provider over OpenID Connect.
    public static let oidc = SignInMethod(rawValue: "oidc")
    /// Signed in with the identity provider over SAML 2.0.
    public static let saml = SignInMethod(rawValue: "saml")
}

/// A signed-in browser session, kept server-side. The browser holds only the session token; the store keeps its
/// hash. Whether the person may configure anything is decided on every request against `SAML_ADMINS`, so removing
/// an email from the list takes effect at once.
public struct AdminSession: Sendable, Hashable {
    /// The SHA-256 hash of the session token the cookie carries.
    public var tokenHash: [UInt8]
    /// Who signed in (as they proved it: the link's email, later the IdP's `email` claim).
    public var email: String
    /// How they signed in.
    public var method: SignInMethod
    /// The token every form of this session must carry.
    public var csrfToken: String
    /// When the session began, in milliseconds since 1970.
    public var createdAt: Int64
    /// When the session was last used (updated at most once a minute), in milliseconds since 1970.
    public var lastSeenAt: Int64
    /// When the session ends whatever its use, in milliseconds since 1970.
    public var expiresAt: Int64

    /// Makes a session.
    public init(
        tokenHash: [UInt8],
        email: String,
        method: SignInMethod,
        csrfToken: String,
        createdAt: Int64,
        lastSeenAt: Int64,
        expiresAt: Int64
    ) {
        self.tokenHash = tokenHash
        self.email = email
        self.method = method
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
    }
}

extension AdminSession {
    /// Whether a form's CSRF token is this session's, compared in constant time.
    public func acceptsCSRFToken(_ presented: String?) -> Bool {
        guard let presented else { return false }
        return BearerToken.constantTimeEquals(Array(presented.utf8), Array(csrfToken.utf8))
    }
}
