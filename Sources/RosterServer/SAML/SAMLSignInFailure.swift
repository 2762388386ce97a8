import Hummingbird
import RosterSAML

/// The page a refused SAML sign-in ends on: a status and a heading by what kind of refusal it was, a sentence that
/// says what to do. The log gets the stable reason code and its detail, never assertion contents or a NameID.
struct SAMLSignInFailure {
    /// Why.
    var rejection: SAMLRejection

    /// The HTTP status.
    var status: HTTPResponse.Status {
        switch rejection.reason {
        case .notAnAdmin: .forbidden
        case .bodyTooLarge: .contentTooLarge
        default: .badRequest
        }
    }

    /// The page's heading.
    func heading(provider: String) -> String {
        switch rejection.reason {
        case .notAnAdmin: "Not an admin"
        case .encryptedAssertion: "Encrypted assertions are not supported"
        case .issuer, .audience, .destination, .recipient: "Wrong identity provider"
        case .status: "\(provider) did not sign you in"
        case .expired, .notYetValid, .inResponseTo, .replay: "Sign-in expired"
        case .unsolicited: "Start the sign-in from Roster"
        case .noEmail: "No email from \(provider)"
        default: "Sign-in could not be verified"
        }
    }

    /// The page's sentence.
    func message(provider: String, email: String?) -> String {
        switch rejection.reason {
        case .notAnAdmin:
            "You are signed in at \(provider) as \(email ?? "someone"), which is not listed in SAML_ADMINS, so you cannot configure directory sync."
        case .encryptedAssertion:
            "\(provider) encrypted the assertion. Roster reads only signed, unencrypted assertions: turn assertion encryption off in the SAML app."
        case .issuer, .audience, .destination, .recipient:
            "The answer was not made for this Roster by the configured identity provider. Check the SAML app's single sign-on URL and audience against the values under “Setting up sign-in”."
        case .status:
            "\(provider) answered without signing you in. Try again, or ask its admin whether you are assigned to the app."
        case .expired, .notYetValid, .inResponseTo, .replay:
            "This sign-in was already used, took too long or was not started here. Start again from the sign-in page."
        case .unsolicited:
            "Sign-in started at the identity provider is off. Start from Roster's sign-in page."
        case .noEmail:
            "\(provider) sent no email address. Set the SAML app's Name ID format to EmailAddress."
        default:
            "The answer from \(provider) did not pass Roster's checks, so nobody was signed in. Start again; if it keeps failing, the app's signing certificate may have changed."
        }
    }
}
