/// The parts of a provider's discovery document (`/.well-known/openid-configuration`) that sign-in uses.
struct OIDCProviderMetadata: Decodable, Sendable, Hashable {
    /// The issuer; must equal the configured one exactly.
    var issuer: String
    /// Where the browser is sent to sign in.
    var authorizationEndpoint: String
    /// Where Roster redeems the code for tokens.
    var tokenEndpoint: String
    /// Where the provider publishes its signing keys.
    var jwksURI: String
    /// How the provider accepts client credentials at the token endpoint; nil when it does not say.
    var tokenEndpointAuthMethodsSupported: [String]?

    private enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
    }

    /// Whether the client secret goes in the form body rather than HTTP Basic: only when the provider lists
    /// `client_secret_post` and not `client_secret_basic` (the default of OpenID Connect).
    var sendsSecretInBody: Bool {
        guard let methods = tokenEndpointAuthMethodsSupported else { return false }
        return methods.contains("client_secret_post") && !methods.contains("client_secret_basic")
    }
}
