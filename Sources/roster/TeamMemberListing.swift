import RosterCore

/// A team's people as a table or as JSON: the users of one email across directories are one person, each user with
/// their directory, membership status and sources.
struct TeamMemberListing {
    var team: Team
    /// Its members, suspended ones included.
    var members: [TeamMember]

    /// The members grouped into people.
    var people: [TeamPerson] { TeamPerson.grouping(members) }

    /// A table with a header row, columns padded, a person's users on adjacent rows (the email on the first); a hint
    /// when the team has no members.
    func table() -> String {
        guard !members.isEmpty else {
            return "Team \(team.shown) has no members yet. Map a group to it with: roster team map \(team.slug) \"GROUP NAME\""
        }
        return TextTable(
            header: ["PERSON", "USER ID", "USERNAME", "DIRECTORY", "MEMBERSHIP", "SOURCES"],
            rows: people.flatMap { person in
                person.members.enumerated().map { index, member in
                    [
                        index == 0 ? person.email ?? "-" : "",
                        member.userID,
                        member.userName,
                        member.directoryID,
                        member.membership.rawValue,
                        member.sources.map(\.shown).joined(separator: ", "),
                    ]
                }
            }
        ).rendered()
    }

    /// One JSON array, one object per person, as `GET /api/v1/teams/{id}/members` shows them.
    func json() throws -> String {
        try JSONOutput.line(
            people.map { person in
                PersonEntry(
                    email: person.email,
                    membership: person.membership.rawValue,
                    users: person.members.map { member in
                        UserEntry(
                            user_id: member.userID,
                            user_name: member.userName,
                            directory_id: member.directoryID,
                            membership: member.membership.rawValue,
                            sources: member.sources.map { source in
                                switch source {
                                case .manual: SourceEntry(type: "manual")
                                case .group(let id, let displayName): SourceEntry(type: "group", group_id: id, group_name: displayName)
                                }
                            }
                        )
                    }
                )
            }
        )
    }

    private struct PersonEntry: Encodable {
        var email: String?
        var membership: String
        var users: [UserEntry]

        private enum CodingKeys: String, CodingKey {
            case email
            case membership
            case users
        }

        /// Writes `email` as null rather than leaving it out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(email, forKey: .email)
            try container.encode(membership, forKey: .membership)
            try container.encode(users, forKey: .users)
        }
    }

    private struct UserEntry: Encodable {
        var user_id: String
        var user_name: String
        var directory_id: String
        var membership: String
        var sources: [SourceEntry]
    }

    /// `{"type": "manual"}`, or `{"type": "group", "group_id", "group_name"}`.
    private struct SourceEntry: Encodable {
        var type: String
        var group_id: String?
        var group_name: String?
    }
}
