/// What the sign-in page shows when OIDC is configured: the button, and the redirect URI to register at the provider.
struct OIDCSignInPage: Sendable {
    /// The provider's name: "Sign in with {providerName}".
    var providerName: String
    /// Where the button points.
    var startPath: String
    /// What to paste into the provider's "Sign-in redirect URIs".
    var redirectURI: String
}
