import Foundation
import RosterCore

/// How admins sign in with the identity provider over OpenID Connect (`OIDC_ISSUER`, `OIDC_CLIENT_ID`,
/// `OIDC_CLIENT_SECRET`, `OIDC_PROVIDER_NAME`).
public struct OIDCSettings: Sendable, Hashable {
    /// The provider's issuer URL, such as `https://example.okta.com`; its discovery document is at
    /// `{issuer}/.well-known/openid-configuration`. No trailing slash.
    public var issuer: String
    /// The client ID of Roster's app integration at the provider.
    public var clientID: String
    /// The client secret of that app integration.
    public var clientSecret: String
    /// The name on the sign-in button: "Sign in with {providerName}".
    public var providerName: String

    /// The path the provider sends the browser back to.
    public static let callbackPath = "/auth/oidc/callback"
    /// The path that starts a sign-in.
    public static let startPath = "/auth/oidc/start"

    /// Makes the settings; without a `providerName`, one is derived from the issuer (see ``defaultProviderName(issuer:)``).
    public init(issuer: String, clientID: String, clientSecret: String, providerName: String? = nil) {
        var issuer = issuer.trimmed()
        while issuer.hasSuffix("/") { issuer.removeLast() }
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        let name = providerName?.trimmed() ?? ""
        self.providerName = name.isEmpty ? Self.defaultProviderName(issuer: issuer) : name
    }

    /// The redirect URI to register at the provider: `{baseURL}/auth/oidc/callback`.
    public func redirectURI(baseURL: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + Self.callbackPath
    }

    /// The provider's name as its issuer's host suggests: Okta, Microsoft, OneLogin, JumpCloud, Google, Auth0 or
    /// Keycloak; otherwise "single sign-on".
    public static func defaultProviderName(issuer: String) -> String {
        let host = (URLComponents(string: issuer)?.host ?? issuer).lowercased()
        let known: [(String, String)] = [
            ("okta", "Okta"), ("microsoftonline", "Microsoft"), ("onelogin", "OneLogin"), ("jumpcloud", "JumpCloud"),
            ("google", "Google"), ("auth0", "Auth0"), ("keycloak", "Keycloak"),
        ]
        return known.first { host.contains($0.0) }?.1 ?? "single sign-on"
    }
}
