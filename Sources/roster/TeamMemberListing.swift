import RosterCore

/// A team's members as a table or as JSON.
struct TeamMemberListing {
    /// The team.
    var team: Team
    /// Its members, suspended ones included.
    var members: [TeamMember]

    /// A table with a header row, columns padded; a hint when the team has no members.
    func table() -> String {
        guard !members.isEmpty else {
            return "Team \(team.shown) has no members yet. Map a group to it with: roster team map \(team.slug) \"GROUP NAME\""
        }
        return TextTable(
            header: ["USER ID", "USERNAME", "DIRECTORY", "STATUS", "SOURCES"],
            rows: members.map { member in
                [
                    member.userID,
                    member.userName,
                    member.directoryID,
                    member.active ? "active" : "suspended",
                    member.sources.map(\.shown).joined(separator: ", "),
                ]
            }
        ).rendered()
    }

    /// One JSON array, one object per member.
    func json() throws -> String {
        try JSONOutput.line(
            members.map { member in
                Entry(
                    user_id: member.userID,
                    user_name: member.userName,
                    directory_id: member.directoryID,
                    active: member.active,
                    sources: member.sources.map { source in
                        switch source {
                        case .manual: SourceEntry(type: "manual")
                        case .group(let id, let displayName): SourceEntry(type: "group", group_id: id, display_name: displayName)
                        }
                    }
                )
            }
        )
    }

    private struct Entry: Encodable {
        var user_id: String
        var user_name: String
        var directory_id: String
        var active: Bool
        var sources: [SourceEntry]
    }

    /// `{"type": "manual"}`, or `{"type": "group", "group_id", "display_name"}`.
    private struct SourceEntry: Encodable {
        var type: String
        var group_id: String?
        var display_name: String?
    }
}
