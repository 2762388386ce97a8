/// What the sign-in page shows when SAML is configured: the button, and what to paste into the IdP's SAML app.
struct SAMLSignInPage: Sendable {
    /// "Sign in with {providerName}".
    var providerName: String
    /// Where the button points.
    var startPath: String
    /// The ACS URL ("Single sign-on URL" in Okta).
    var acsURL: String
    /// The SP entityID ("Audience URI (SP Entity ID)" in Okta).
    var entityID: String
    /// The SP metadata URL.
    var metadataURL: String
}
