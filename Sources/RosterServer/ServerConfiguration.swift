import RosterCore
import SCIM

/// How the SCIM server listens and what it answers with.
public struct ServerConfiguration: Sendable, Hashable {
    /// The address to bind to.
    public var host: String
    /// The port to bind to; 0 picks a free one.
    public var port: Int
    /// What every SCIM URL Roster hands out starts with (`meta.location`, `Location`), without a trailing slash:
    /// the public URL clients reach Roster at.
    public var baseURL: String
    /// The largest request body accepted, in bytes; larger ones get 413.
    public var maxBodyBytes: Int
    /// How many resources a list returns when the request gives no `count`.
    public var defaultPageSize: Int
    /// The most resources one list returns, advertised as `filter.maxResults`.
    public var maxPageSize: Int
    /// Where the ServiceProviderConfig's `documentationUri` points; omitted when nil.
    public var documentationURI: String?
    /// Who may sign in to the settings pages (`SAML_ADMINS`).
    public var admins: AdminAllowList
    /// SCIM requests a second each directory may make, sustained (`RATE_LIMIT_PER_SECOND`); 0, the default, turns the
    /// limit off: a sequential client on a fast link goes faster than any rate that would stop a flood.
    public var scimRequestsPerSecond: Double
    /// How many SCIM requests a directory may make at once above the sustained rate (`RATE_LIMIT_BURST`).
    public var scimBurst: Double
    /// How many SCIM requests of one directory Roster handles at once (`RATE_LIMIT_CONCURRENT_REQUESTS`); more get
    /// 429 with `Retry-After`. 0 turns the limit off.
    public var scimConcurrentRequests: Int
    /// Failed bearer tokens or sign-in links a client address may present per minute before it gets 429.
    public var failedAuthenticationsPerMinute: Double
    /// The one directory whose request queries (which may hold emails) are logged at debug level
    /// (`LOG_DEBUG_DIRECTORY`); nil logs no directory's.
    public var debugDirectoryID: String?
    /// Admin sign-in with the identity provider over OpenID Connect; nil when not configured (sign-in links only).
    public var oidc: OIDCSettings?
    /// Admin sign-in with the identity provider over SAML 2.0; nil when not configured.
    public var saml: SAMLSettings?
    /// The bearer token a scrape of `/metrics` must present (`METRICS_TOKEN`); nil turns `/metrics` off (404).
    public var metricsToken: String?
    /// The load balancers and proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`); none by default,
    /// so the header is ignored.
    public var trustedProxies: TrustedProxies
    /// How long the audit trail keeps entries (`AUDIT_RETENTION_DAYS`, 365 days by default).
    public var auditRetention: AuditRetention

    /// Makes a configuration. When `baseURL` is nil it is `http://host:port`; a trailing slash is dropped.
    public init(
        host: String = "127.0.0.1",
        port: Int = 3000,
        baseURL: String? = nil,
        maxBodyBytes: Int = 10_485_760,
        defaultPageSize: Int = 100,
        maxPageSize: Int = 1000,
        documentationURI: String? = nil,
        admins: AdminAllowList = AdminAllowList(parsing: nil),
        scimRequestsPerSecond: Double = 0,
        scimBurst: Double = 200,
        scimConcurrentRequests: Int = ServerConfiguration.defaultConcurrentRequests,
        failedAuthenticationsPerMinute: Double = 20,
        debugDirectoryID: String? = nil,
        oidc: OIDCSettings? = nil,
        saml: SAMLSettings? = nil,
        metricsToken: String? = nil,
        trustedProxies: TrustedProxies = .none,
        auditRetention: AuditRetention = AuditRetention()
    ) {
        self.host = host
        self.port = port
        var base = baseURL ?? "http://\(host):\(port)"
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.maxBodyBytes = maxBodyBytes
        self.defaultPageSize = defaultPageSize
        self.maxPageSize = maxPageSize
        self.documentationURI = documentationURI
        self.admins = admins
        self.scimRequestsPerSecond = scimRequestsPerSecond
        self.scimBurst = scimBurst
        self.scimConcurrentRequests = scimConcurrentRequests
        self.failedAuthenticationsPerMinute = failedAuthenticationsPerMinute
        self.debugDirectoryID = debugDirectoryID
        self.oidc = oidc
        self.saml = saml
        self.metricsToken = metricsToken
        self.trustedProxies = trustedProxies
        self.auditRetention = auditRetention
    }

    /// The default for ``scimConcurrentRequests``: several times what IdPs open in parallel (Okta's import and
    /// scim2-tester send one request at a time), far below what a flood opens.
    public static let defaultConcurrentRequests = 32

    /// Whether cookies carry `Secure`: when the public URL is https.
    public var usesHTTPS: Bool { baseURL.lowercased().hasPrefix("https://") }

    /// What `/ServiceProviderConfig` advertises for this configuration.
    public var serviceProviderConfiguration: ServiceProviderConfiguration {
        ServiceProviderConfiguration(
            documentationUri: documentationURI,
            bulkMaxPayloadSize: maxBodyBytes,
            filterMaxResults: maxPageSize
        )
    }
}
