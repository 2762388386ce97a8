import RosterCore
import RosterSAML

/// How admins sign in with the identity provider over SAML 2.0 (`SAML_IDP_METADATA`, or `SAML_IDP_ENTITY_ID`,
/// `SAML_IDP_SSO_URL` and `SAML_IDP_CERTIFICATE`; `SAML_SP_ENTITY_ID`, `SAML_ALLOW_IDP_INITIATED`,
/// `SAML_PROVIDER_NAME`).
public struct SAMLSettings: Sendable, Hashable {
    /// The IdP, from its metadata or given field by field.
    public var identityProvider: SAMLIdentityProvider
    /// Roster's entityID as the IdP knows it; nil for `{BASE_URL}/auth/saml/metadata`.
    public var serviceProviderEntityID: String?
    /// Whether IdP-initiated sign-in (a response no request of this browser asked for) is accepted.
    public var allowsIdentityProviderInitiated: Bool
    /// The name on the button: "Sign in with {providerName}".
    public var providerName: String

    /// The SP metadata's path.
    public static let metadataPath = "/auth/saml/metadata"
    /// The path that starts a sign-in.
    public static let startPath = "/auth/saml/start"
    /// The assertion consumer service's path.
    public static let acsPath = "/auth/saml/acs"

    /// Makes the settings; without a `providerName`, one is derived from the IdP's SSO host (as for OIDC).
    public init(
        identityProvider: SAMLIdentityProvider,
        serviceProviderEntityID: String? = nil,
        allowsIdentityProviderInitiated: Bool = false,
        providerName: String? = nil
    ) {
        self.identityProvider = identityProvider
        self.serviceProviderEntityID = serviceProviderEntityID
        self.allowsIdentityProviderInitiated = allowsIdentityProviderInitiated
        let name = providerName?.trimmed() ?? ""
        self.providerName = name.isEmpty ? OIDCSettings.defaultProviderName(issuer: identityProvider.singleSignOnURL) : name
    }

    /// Roster's entityID: the configured one, else `{baseURL}/auth/saml/metadata`.
    public func entityID(baseURL: String) -> String {
        serviceProviderEntityID ?? Self.url(baseURL, Self.metadataPath)
    }

    /// The ACS URL to register at the IdP: `{baseURL}/auth/saml/acs`.
    public func acsURL(baseURL: String) -> String {
        Self.url(baseURL, Self.acsPath)
    }

    /// The metadata URL: `{baseURL}/auth/saml/metadata`.
    public func metadataURL(baseURL: String) -> String {
        Self.url(baseURL, Self.metadataPath)
    }

    /// The rules every response must satisfy.
    func rules(baseURL: String) -> SAMLAssertionRules {
        SAMLAssertionRules(
            identityProviderEntityID: identityProvider.entityID,
            serviceProviderEntityID: entityID(baseURL: baseURL),
            assertionConsumerServiceURL: acsURL(baseURL: baseURL),
            allowsUnsolicited: allowsIdentityProviderInitiated
        )
    }

    private static func url(_ baseURL: String, _ path: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }
}
