import SCIM

extension UserSummary {
    /// The summary of a user stored as `document` (``ResourceDocument``), with the names of the teams they are in:
    /// ``name`` and ``email`` are read from the document.
    public init(id: String, userName: String, active: Bool, document: String, teams: [String]) throws {
        let attributes = try ResourceDocument.attributes(of: document, id: id)
        self.init(
            id: id,
            userName: userName,
            name: Self.displayName(of: attributes),
            email: Self.primaryEmail(of: attributes),
            active: active,
            teams: teams
        )
    }

    /// `displayName`, else `name.formatted`, else given and family name.
    private static func displayName(of attributes: JSONObject) -> String? {
        if let name = attributes["displayName"]?.stringValue, !name.isEmpty { return name }
        guard let name = attributes["name"]?.objectValue else { return nil }
        if let formatted = name["formatted"]?.stringValue, !formatted.isEmpty { return formatted }
        let parts = [name["givenName"]?.stringValue, name["familyName"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// The primary email, else the first.
    private static func primaryEmail(of attributes: JSONObject) -> String? {
        let emails = (attributes["emails"]?.arrayValue ?? []).compactMap(\.objectValue)
        let primary = emails.first { $0["primary"]?.boolValue == true } ?? emails.first
        return primary?["value"]?.stringValue
    }
}
