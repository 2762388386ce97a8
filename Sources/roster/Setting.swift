/// One configuration value that comes from a flag or, when the flag is absent, from an environment variable. Blank
/// values count as absent.
struct Setting {
    /// The flag, such as `--port`.
    var flag: String
    /// The environment variable, such as `PORT`.
    var variable: String

    /// The flag's value if given, else the environment variable's; nil when both are absent or blank.
    func value(flag flagValue: String?, environment: [String: String]) -> String? {
        for candidate in [flagValue, environment[variable]] {
            if let candidate, !candidate.allSatisfy(\.isWhitespace) { return candidate }
        }
        return nil
    }

    /// How an error line names the setting: `PORT (or --port)`.
    var name: String { "\(variable) (or \(flag))" }

    /// Parses a whole number in `range`, or fails with exit code 2 naming the setting.
    func integer(_ text: String, in range: ClosedRange<Int>, expected: String) throws(CommandFailure) -> Int {
        guard let number = Int(text.trimmed()), range.contains(number) else {
            throw .configuration("\(name) must be \(expected), not \"\(text.replacingNewlines())\"")
        }
        return number
    }
}

extension Setting {
    /// `SAML_DATABASE_URL`.
    static let databaseURL = Setting(flag: "--database-url", variable: "SAML_DATABASE_URL")
    /// `BASE_URL`.
    static let baseURL = Setting(flag: "--base-url", variable: "BASE_URL")
    /// `HOST`.
    static let host = Setting(flag: "--host", variable: "HOST")
    /// `PORT`.
    static let port = Setting(flag: "--port", variable: "PORT")
    /// `SAML_ADMINS`.
    static let admins = Setting(flag: "--admins", variable: "SAML_ADMINS")
    /// `WEBHOOK_RETRY_HOURS`.
    static let webhookRetryHours = Setting(flag: "--webhook-retry-hours", variable: "WEBHOOK_RETRY_HOURS")
    /// `RATE_LIMIT_PER_SECOND`.
    static let rateLimitPerSecond = Setting(flag: "--rate-limit-per-second", variable: "RATE_LIMIT_PER_SECOND")
    /// `RATE_LIMIT_BURST`.
    static let rateLimitBurst = Setting(flag: "--rate-limit-burst", variable: "RATE_LIMIT_BURST")
    /// `RATE_LIMIT_CONCURRENT_REQUESTS`.
    static let rateLimitConcurrentRequests = Setting(flag: "--rate-limit-concurrent-requests", variable: "RATE_LIMIT_CONCURRENT_REQUESTS")
    /// `MAX_BODY_BYTES`.
    static let maxBodyBytes = Setting(flag: "--max-body-bytes", variable: "MAX_BODY_BYTES")
    /// `OIDC_ISSUER`.
    static let oidcIssuer = Setting(flag: "--oidc-issuer", variable: "OIDC_ISSUER")
    /// `OIDC_CLIENT_ID`.
    static let oidcClientID = Setting(flag: "--oidc-client-id", variable: "OIDC_CLIENT_ID")
    /// `OIDC_CLIENT_SECRET`.
    static let oidcClientSecret = Setting(flag: "--oidc-client-secret", variable: "OIDC_CLIENT_SECRET")
    /// `OIDC_PROVIDER_NAME`.
    static let oidcProviderName = Setting(flag: "--oidc-provider-name", variable: "OIDC_PROVIDER_NAME")
    /// `METRICS_TOKEN`.
    static let metricsToken = Setting(flag: "--metrics-token", variable: "METRICS_TOKEN")
    /// `SAML_IDP_METADATA`.
    static let samlIdPMetadata = Setting(flag: "--saml-idp-metadata", variable: "SAML_IDP_METADATA")
    /// `SAML_IDP_ENTITY_ID`.
    static let samlIdPEntityID = Setting(flag: "--saml-idp-entity-id", variable: "SAML_IDP_ENTITY_ID")
    /// `SAML_IDP_SSO_URL`.
    static let samlIdPSSOURL = Setting(flag: "--saml-idp-sso-url", variable: "SAML_IDP_SSO_URL")
    /// `SAML_IDP_CERTIFICATE`.
    static let samlIdPCertificate = Setting(flag: "--saml-idp-certificate", variable: "SAML_IDP_CERTIFICATE")
    /// `SAML_SP_ENTITY_ID`.
    static let samlSPEntityID = Setting(flag: "--saml-sp-entity-id", variable: "SAML_SP_ENTITY_ID")
    /// `SAML_ALLOW_IDP_INITIATED`.
    static let samlAllowIdPInitiated = Setting(flag: "--saml-allow-idp-initiated", variable: "SAML_ALLOW_IDP_INITIATED")
    /// `SAML_PROVIDER_NAME`.
    static let samlProviderName = Setting(flag: "--saml-provider-name", variable: "SAML_PROVIDER_NAME")
    /// `TRUSTED_PROXIES`.
    static let trustedProxies = Setting(flag: "--trusted-proxies", variable: "TRUSTED_PROXIES")
    /// `AUDIT_RETENTION_DAYS`.
    static let auditRetentionDays = Setting(flag: "--audit-retention-days", variable: "AUDIT_RETENTION_DAYS")
}
