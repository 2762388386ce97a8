import Foundation

/// The admins named in `SAML_ADMINS`: a comma-separated list of emails. Entries are trimmed (Cal.com forgets to)
/// and compared ignoring case; empty entries are skipped.
public struct AdminAllowList: Sendable, Hashable {
    /// The emails in the order given, trimmed, as written.
    public let emails: [String]

    /// Parses a `SAML_ADMINS` value; nil or blank is an empty list.
    public init(parsing value: String?) {
        emails = (value ?? "").split(separator: ",").map { $0.trimmed() }.filter { !$0.isEmpty }
    }

    /// Whether no admin is listed.
    public var isEmpty: Bool { emails.isEmpty }

    /// Whether `email` is listed, ignoring case and surrounding spaces.
    public func contains(_ email: String) -> Bool {
        let wanted = email.trimmed().lowercased()
        return !wanted.isEmpty && emails.contains { $0.lowercased() == wanted }
    }
}
