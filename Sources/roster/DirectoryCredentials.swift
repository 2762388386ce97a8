import Foundation
import RosterCore

/// What an admin pastes into the identity provider: the SCIM Base URL and the Bearer Token, printed as text or as
/// one JSON object.
struct DirectoryCredentials {
    var directory: Directory
    /// Roster's public URL.
    var baseURL: String
    /// The token in clear, shown this once.
    var token: String

    /// The directory's SCIM Base URL.
    var scimBaseURL: String { directory.scimBaseURL(baseURL: baseURL) }

    /// `{"base_url", "id", "name", "provider", "token"}` on one line.
    func json() throws -> String {
        try JSONOutput.line(
            Payload(id: directory.id, name: directory.name, provider: directory.provider.rawValue, base_url: scimBaseURL, token: token)
        )
    }

    /// The text layout, in the words of the setup guide: "SCIM Base URL", "SCIM Bearer Token". `created` says whether
    /// the directory is new or its token was rotated.
    func text(created: Bool) -> String {
        var lines = [
            created
                ? "Created directory \"\(directory.name)\" (\(directory.provider.displayName)), id \(directory.id)."
                : "New token for directory \"\(directory.name)\" (\(directory.provider.displayName)), id \(directory.id); the old token no longer works.",
            "",
            "SCIM Base URL:      \(scimBaseURL)",
            "SCIM Bearer Token:  \(token)",
            "",
            "The SCIM Bearer Token is shown only this once: Roster keeps only a hash of it.",
            "If it is lost, `roster directory rotate-token \(directory.id)` makes a new one.",
        ]
        if let hint = directory.provider.connectionHint {
            lines += ["", hint]
        }
        return lines.joined(separator: "\n")
    }

    private struct Payload: Encodable {
        var id: String
        var name: String
        var provider: String
        var base_url: String
        var token: String
    }
}

extension DirectoryProvider {
    /// Where the two values go in the identity provider's admin console.
    var connectionHint: String? {
        switch self {
        case .okta:
            """
            In Okta: your app > Provisioning > Integration:
              "SCIM connector base URL" = the SCIM Base URL
              "Unique identifier field for users" = email
              "Authentication Mode" = HTTP Header, "Authentication" = the SCIM Bearer Token
            """
        case .azure:
            """
            In Microsoft Entra ID: your enterprise application > Provisioning > Admin Credentials:
              "Tenant URL" = the SCIM Base URL
              "Secret Token" = the SCIM Bearer Token
            """
        case .onelogin:
            """
            In OneLogin: your SCIM application > Configuration:
              "SCIM Base URL" = the SCIM Base URL
              "SCIM Bearer Token" = the SCIM Bearer Token
            """
        case .jumpcloud:
            """
            In JumpCloud: your application > Identity Management:
              "Base URL" = the SCIM Base URL
              "Token Key" = the SCIM Bearer Token
            """
        case .generic:
            nil
        }
    }
}
