/// The two tables of sign-ins between their start and the IdP's answer, bounded the same way in both stores.
public enum PendingSignInTable: String, Sendable {
    /// OpenID Connect sign-ins (``PendingSignIn``).
    case oidcSignIns = "oidc_pending_sign_in"
    /// SAML requests (``PendingSAMLRequest``).
    case samlRequests = "saml_pending_request"
}
