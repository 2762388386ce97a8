import HTTPTypes

/// Why an OIDC sign-in did not end in a session. Each case has the page the browser gets and the reason the log
/// gets; neither ever contains a code, a token or the client secret.
enum OIDCSignInError: Error, Sendable, Hashable {
    /// The provider sent the browser back with `error=` (such as `access_denied` when consent was refused).
    case providerRefused(error: String, description: String?)
    /// The callback came without this browser's sign-in cookie, or its sign-in was already used or has expired.
    case signInExpired
    /// The callback's `state` is not the one this browser's sign-in was started with.
    case stateMismatch
    /// The callback has no `code`.
    case missingCode
    /// The provider could not be reached, or answered what is not OpenID Connect.
    case providerUnreachable(String)
    /// The token endpoint refused the code (such as `invalid_grant` for a used or expired code).
    case codeRefused(status: Int, error: String?)
    /// The ID token's signature or claims do not hold.
    case invalidIDToken(String)
    /// The ID token has no `email` claim.
    case noEmail
    /// The provider says the email is not verified (`email_verified` false).
    case emailNotVerified(String)
    /// The email is not in `SAML_ADMINS`.
    case notAnAdmin(String)

    /// The HTTP status of the page.
    var status: HTTPResponse.Status {
        switch self {
        case .providerRefused(let error, _): error == "access_denied" ? .forbidden : .badRequest
        case .signInExpired, .stateMismatch, .missingCode, .codeRefused, .invalidIDToken: .badRequest
        case .providerUnreachable: .badGateway
        case .noEmail, .emailNotVerified, .notAnAdmin: .forbidden
        }
    }

    /// The page's heading.
    func heading(provider: String) -> String {
        switch self {
        case .providerRefused(let error, _): error == "access_denied" ? "Sign-in was cancelled" : "Sign-in failed"
        case .signInExpired: "Sign-in expired"
        case .stateMismatch, .invalidIDToken: "Sign-in could not be verified"
        case .missingCode, .codeRefused: "Sign-in failed"
        case .providerUnreachable: "Cannot reach \(provider)"
        case .noEmail, .emailNotVerified: "Email not verified"
        case .notAnAdmin: "Not an admin"
        }
    }

    /// The page's message.
    func message(provider: String) -> String {
        switch self {
        case .providerRefused(let error, let description):
            error == "access_denied"
                ? "\(provider) did not let you sign in to Roster (the sign-in was declined or you are not assigned to the app)."
                : "\(provider) answered with the error \(error)\(description.map { ": \($0)" } ?? ".")"
        case .signInExpired:
            "This sign-in was already used, took longer than 10 minutes, or was started in another browser."
        case .stateMismatch:
            "The answer from \(provider) does not belong to the sign-in this browser started, so it was not accepted."
        case .missingCode:
            "\(provider) sent the browser back without a sign-in code."
        case .providerUnreachable:
            "Roster could not talk to \(provider) to finish the sign-in. Try again in a moment; if it persists, check OIDC_ISSUER and that Roster can reach it."
        case .codeRefused(_, let error):
            "\(provider) refused the sign-in code\(error.map { " (\($0))" } ?? ""): it may have been used already or have expired."
        case .invalidIDToken:
            "The identity token from \(provider) did not pass Roster's checks (signature, issuer, audience, expiry or nonce), so it was not accepted."
        case .noEmail:
            "\(provider) did not say which email you signed in with. Add the email scope and claim to the app integration."
        case .emailNotVerified(let email):
            "\(provider) says the email \(email) is not verified."
        case .notAnAdmin(let email):
            "\(email) is not listed in SAML_ADMINS, so it cannot configure directory sync."
        }
    }

    /// What the log says (no codes, tokens or secrets).
    var logReason: String {
        switch self {
        case .providerRefused(let error, _): "provider returned error \(error)"
        case .signInExpired: "no pending sign-in for this browser (expired, used or missing cookie)"
        case .stateMismatch: "state does not match the pending sign-in"
        case .missingCode: "callback without code"
        case .providerUnreachable(let detail): "provider unreachable: \(detail)"
        case .codeRefused(let status, let error): "token endpoint refused the code: HTTP \(status) \(error ?? "")"
        case .invalidIDToken(let detail): "ID token rejected: \(detail)"
        case .noEmail: "ID token has no email claim"
        case .emailNotVerified: "email_verified is false"
        case .notAnAdmin: "email is not in SAML_ADMINS"
        }
    }
}

extension OIDCSignInError {
    /// The stable code the audit trail records for the failure.
    var reasonCode: String {
        switch self {
        case .providerRefused: "provider_refused"
        case .signInExpired: "sign_in_expired"
        case .stateMismatch: "state_mismatch"
        case .missingCode: "missing_code"
        case .providerUnreachable: "provider_unreachable"
        case .codeRefused: "code_refused"
        case .invalidIDToken: "invalid_id_token"
        case .noEmail: "no_email"
        case .emailNotVerified: "email_not_verified"
        case .notAnAdmin: "not_admin"
        }
    }

    /// The email the identity provider vouched for, when the sign-in failed after the token was verified.
    var claimedEmail: String? {
        switch self {
        case .emailNotVerified(let email), .notAnAdmin(let email): email
        default: nil
        }
    }
}
