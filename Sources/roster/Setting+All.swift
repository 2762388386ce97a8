import Logging
import RosterCore
import RosterServer

// Every setting, in the order of README.md's table (`scripts/settings-table.sh` rewrites it from here). A new setting
// gets an entry here, in `all`, an `@Option(name: Setting.x.optionName, help: Setting.x.optionHelp)` in its command
// or option group, and a line where the command reads it.
extension Setting {
    /// Every setting, in the README's order.
    static let all: [Setting] = [
        databaseURL, baseURL, host, port, admins, maxBodyBytes, webhookRetryHours, rateLimitConcurrentRequests,
        rateLimitPerSecond, rateLimitBurst, oidcIssuer, oidcClientID, oidcClientSecret, oidcProviderName, samlIdPMetadata,
        samlIdPEntityID, samlIdPSSOURL, samlIdPCertificate, samlSPEntityID, samlAllowIdPInitiated, samlProviderName,
        metricsToken, trustedProxies, auditRetentionDays, logFormat, logLevel, logDebugDirectory,
    ]

    // MARK: Where the data is, and where Roster listens (shared with the other commands)

    static let databaseURL = Setting(
        variable: "SAML_DATABASE_URL",
        flagName: "database-url",
        valueName: "url",
        defaultText: "`\(DatabaseLocation.defaultSQLitePath)`",
        summary: """
            The database: a SQLite file as `sqlite:PATH`, `file:PATH` or a plain path, or PostgreSQL as \
            `postgresql://USER:PASSWORD@HOST:5432/DATABASE[?sslmode=…]`
            """,
        details: """
            Step 1 of the seed guide gives `postgresql://USER:PASSWORD@HOST:5432/DATABASE?sslmode=no-verify`, which \
            works word for word (see "SQLite or PostgreSQL" below). Every command (`serve`, `directory`, `team`, \
            `events`, `audit`, `login-link`) takes either.
            """
    )

    static let baseURL = Setting(
        variable: "BASE_URL",
        flagName: "base-url",
        valueName: "url",
        defaultText: "`http://HOST:PORT`",
        summary: "Roster's public URL, which the SCIM Base URLs shown to admins start with"
    )

    static let host = Setting(
        variable: "HOST",
        flagName: "host",
        valueName: "host",
        defaultText: "`\(ServerAddress.defaultHost)`",
        summary: "The address `roster serve` listens on",
        details: "`0.0.0.0` in a container."
    )

    static let port = Setting(
        variable: "PORT",
        flagName: "port",
        valueName: "port",
        defaultText: "`\(ServerAddress.defaultPort)`",
        summary: "The TCP port `roster serve` listens on",
        kind: .integer(range: 1...65_535, expected: "a TCP port number from 1 to 65535", defaultValue: ServerAddress.defaultPort)
    )

    static let admins = Setting(
        variable: "SAML_ADMINS",
        flagName: "admins",
        valueName: "emails",
        defaultText: "empty",
        summary: "Comma-separated emails of the admins who may use the settings pages; spaces and case do not matter",
        details: "Empty: the pages are locked and say how to set it."
    )

    // MARK: Limits

    /// The default largest body: 10 MiB.
    private static let defaultMaxBodyBytes = 10_485_760

    static let maxBodyBytes = Setting(
        variable: "MAX_BODY_BYTES",
        flagName: "max-body-bytes",
        valueName: "bytes",
        defaultText: "`\(defaultMaxBodyBytes)`",
        summary: "The largest request body accepted, in bytes",
        details: "A larger one gets 413.",
        kind: .integer(range: 1...Int.max, expected: "a positive number of bytes", defaultValue: defaultMaxBodyBytes)
    )

    /// The webhook retry window of ``RetryPolicy``'s default, in hours (72).
    private static let defaultWebhookRetryHours = Int(RetryPolicy().window / 3_600_000)

    static let webhookRetryHours = Setting(
        variable: "WEBHOOK_RETRY_HOURS",
        flagName: "webhook-retry-hours",
        valueName: "hours",
        defaultText: "`\(defaultWebhookRetryHours)`",
        summary: "How long a failing webhook delivery is retried before it is dead-lettered, in hours, 1 to 8760",
        kind: .integer(range: 1...8760, expected: "a number of hours from 1 to 8760", defaultValue: defaultWebhookRetryHours)
    )

    static let rateLimitConcurrentRequests = Setting(
        variable: "RATE_LIMIT_CONCURRENT_REQUESTS",
        flagName: "rate-limit-concurrent-requests",
        valueName: "requests",
        defaultText: "`\(ServerConfiguration.defaultConcurrentRequests)`",
        summary: "SCIM requests of one directory handled at once; more get 429 with `Retry-After: 1`; 0 turns the limit off",
        details: "Okta and Entra honour it. This is what stops a flood (below).",
        kind: .integer(
            range: 0...1_000_000,
            expected: "a number of requests (0: no limit)",
            defaultValue: ServerConfiguration.defaultConcurrentRequests
        )
    )

    static let rateLimitPerSecond = Setting(
        variable: "RATE_LIMIT_PER_SECOND",
        flagName: "rate-limit-per-second",
        valueName: "requests",
        defaultText: "`0`",
        summary: "SCIM requests a second each directory may make, sustained; 0 turns the limit off",
        details: "A rate cap on top of the limit above, if you want one; over it, 429 with `Retry-After`.",
        kind: .integer(range: 0...1_000_000, expected: "a number of requests a second (0: no limit)", defaultValue: 0)
    )

    static let rateLimitBurst = Setting(
        variable: "RATE_LIMIT_BURST",
        flagName: "rate-limit-burst",
        valueName: "requests",
        defaultText: "`200`",
        summary: "With a rate cap, the SCIM requests a directory may make at once above it",
        kind: .integer(range: 1...1_000_000, expected: "a positive number of requests", defaultValue: 200)
    )

    // MARK: Sign-in with OpenID Connect

    static let oidcIssuer = Setting(
        variable: "OIDC_ISSUER",
        flagName: "oidc-issuer",
        valueName: "url",
        summary: "The OpenID provider's issuer URL, such as `https://example.okta.com`; turns on \"Sign in with …\"",
        details: "https only, except on loopback. See \"Sign in to the settings page\" below."
    )

    static let oidcClientID = Setting(
        variable: "OIDC_CLIENT_ID",
        flagName: "oidc-client-id",
        valueName: "id",
        summary: "The client ID of Roster's app integration at the provider"
    )

    static let oidcClientSecret = Setting(
        variable: "OIDC_CLIENT_SECRET",
        flagName: "oidc-client-secret",
        valueName: "secret",
        summary: "The app integration's client secret; prefer the variable to the flag, as flags show in process lists"
    )

    static let oidcProviderName = Setting(
        variable: "OIDC_PROVIDER_NAME",
        flagName: "oidc-provider-name",
        valueName: "name",
        defaultText: "from the issuer",
        summary: "The name on the sign-in button, \"Sign in with NAME\"",
        details: """
            By default Okta, Microsoft, OneLogin, JumpCloud, Google, Auth0 or Keycloak when the issuer's host says so, \
            else "single sign-on".
            """
    )

    // MARK: Sign-in with SAML 2.0

    static let samlIdPMetadata = Setting(
        variable: "SAML_IDP_METADATA",
        flagName: "saml-idp-metadata",
        valueName: "url-or-file",
        summary: """
            The IdP's SAML metadata: an https URL (http only on loopback), such as Okta's Metadata URL, or a file; \
            turns on "Sign in with …" over SAML
            """,
        details: "See \"Sign in to the settings page\" below."
    )

    static let samlIdPEntityID = Setting(
        variable: "SAML_IDP_ENTITY_ID",
        flagName: "saml-idp-entity-id",
        valueName: "id",
        summary: "Without metadata: the IdP's entityID",
        details: "Set with `SAML_IDP_SSO_URL` and `SAML_IDP_CERTIFICATE`, instead of `SAML_IDP_METADATA`."
    )

    static let samlIdPSSOURL = Setting(
        variable: "SAML_IDP_SSO_URL",
        flagName: "saml-idp-sso-url",
        valueName: "url",
        summary: "Without metadata: the IdP's single sign-on URL, HTTP-Redirect binding"
    )

    static let samlIdPCertificate = Setting(
        variable: "SAML_IDP_CERTIFICATE",
        flagName: "saml-idp-certificate",
        valueName: "file",
        summary: "Without metadata: a PEM file with the IdP's signing certificate(s)"
    )

    static let samlSPEntityID = Setting(
        variable: "SAML_SP_ENTITY_ID",
        flagName: "saml-sp-entity-id",
        valueName: "id",
        defaultText: "`{BASE_URL}/auth/saml/metadata`",
        summary: "Roster's entity ID (the audience) at the IdP"
    )

    static let samlAllowIdPInitiated = Setting(
        variable: "SAML_ALLOW_IDP_INITIATED",
        flagName: "saml-allow-idp-initiated",
        valueName: "true|false",
        defaultText: "`false`",
        summary: "Accept sign-ins started at the IdP's dashboard",
        kind: .boolean
    )

    static let samlProviderName = Setting(
        variable: "SAML_PROVIDER_NAME",
        flagName: "saml-provider-name",
        valueName: "name",
        defaultText: "from the IdP's host",
        summary: "The name on the SAML sign-in button"
    )

    // MARK: Operations

    static let metricsToken = Setting(
        variable: "METRICS_TOKEN",
        flagName: "metrics-token",
        valueName: "token",
        summary: "The bearer token a scrape of `/metrics` must present; unset, `/metrics` is off and answers 404",
        details: "Prometheus: `authorization: {credentials_file: …}`."
    )

    static let trustedProxies = Setting(
        variable: "TRUSTED_PROXIES",
        flagName: "trusted-proxies",
        valueName: "addresses",
        summary: """
            Load balancers whose `X-Forwarded-For` names the client, as addresses or CIDR ranges separated by commas \
            (`10.0.0.0/8, 192.168.1.7, ::1`); unset, the header is ignored
            """,
        details: """
            A request whose connection comes from one of them is counted against the client address its \
            `X-Forwarded-For` names (the rightmost address that is not itself a trusted proxy); from anyone else the \
            header is ignored, so a client cannot choose its own address. See "Run several replicas".
            """
    )

    static let auditRetentionDays = Setting(
        variable: "AUDIT_RETENTION_DAYS",
        flagName: "audit-retention-days",
        valueName: "days",
        defaultText: "`\(AuditRetention.defaultDays)`",
        summary: """
            How long the audit trail keeps entries, in days, 1 to \(AuditRetention.maximumDays); older ones are \
            deleted a whole UTC day at a time
            """,
        details: "See \"Audit trail\".",
        kind: .integer(
            range: 1...AuditRetention.maximumDays,
            expected: "a number of days from 1 to \(AuditRetention.maximumDays)",
            defaultValue: AuditRetention.defaultDays
        )
    )

    // MARK: Logs (environment only)

    static let logFormat = Setting(
        variable: "LOG_FORMAT",
        defaultText: "`text`",
        summary: "`text`, or `json` for one JSON object a line"
    )

    static let logLevel = Setting(
        variable: "LOG_LEVEL",
        defaultText: "`\(LogSetup.defaultLevel.rawValue)`",
        summary: oneOf(Logger.Level.allCases.map { "`\($0.rawValue)`" })
    )

    static let logDebugDirectory = Setting(
        variable: "LOG_DEBUG_DIRECTORY",
        summary: "The one directory whose request queries (SCIM filters, which hold emails) appear in debug logs"
    )

    /// "`a`, `b` or `c`".
    private static func oneOf(_ words: [String]) -> String {
        guard let last = words.last, words.count > 1 else { return words.joined() }
        return words.dropLast().joined(separator: ", ") + " or " + last
    }
}
