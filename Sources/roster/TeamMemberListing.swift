import RosterCore

/// A team's people as a table or as JSON: the users of one email across directories are one person, each user with
/// their directory, membership status and sources.
struct TeamMemberListing: Listing {
    /// The team whose people these are.
    var team: Team
    /// Its members, suspended ones included.
    var members: [TeamMember]

    /// The members grouped into people.
    var people: [TeamPerson] { TeamPerson.grouping(members) }

    /// How to give the team members.
    var emptyHint: String {
        "Team \(team.shown) has no members yet. Map a group to it with: roster team map \(team.slug) \"GROUP NAME\""
    }

    /// The person's email, then each user's id, name, directory, membership and sources.
    var header: [String] { ["PERSON", "USER ID", "USERNAME", "DIRECTORY", "MEMBERSHIP", "SOURCES"] }

    /// One row per user, a person's users on adjacent rows with the email on the first.
    var rows: [[String]] {
        people.flatMap { person in
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
    }

    /// One object per person, as `GET /api/v1/teams/{id}/members` shows them.
    var entries: any Encodable {
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
    }

    private struct PersonEntry: Encodable {
        @ExplicitNull var email: String?
        var membership: String
        var users: [UserEntry]
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
