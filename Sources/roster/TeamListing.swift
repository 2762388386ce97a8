import RosterCore

/// The teams with their mappings, as a table or as JSON.
struct TeamListing: Listing {
    /// The teams, by name.
    var teams: [Team]
    /// Every mapping, oldest first.
    var mappings: [TeamMapping]

    /// A team's mappings, oldest first.
    func mappings(of team: Team) -> [TeamMapping] {
        mappings.filter { $0.teamID == team.id }
    }

    /// How to create the first team.
    var emptyHint: String { "No teams yet. Create one with: roster team create NAME" }

    /// ID, name, slug and the group names mapped to the team.
    var header: [String] { ["ID", "NAME", "SLUG", "GROUPS"] }

    /// One row per team; each group name in quotes with the directories it matches in, or `none`.
    var rows: [[String]] {
        teams.map { team in
            let groups = mappings(of: team).map { "\"\($0.groupName)\" (\($0.scope))" }
            return [team.id, team.name, team.slug, groups.isEmpty ? "none" : groups.joined(separator: ", ")]
        }
    }

    /// One object per team; `directory_id` is null for a mapping that matches every directory.
    var entries: any Encodable {
        teams.map { team in
            Entry(
                id: team.id,
                name: team.name,
                slug: team.slug,
                mappings: mappings(of: team).map { MappingEntry(group_name: $0.groupName, directory_id: $0.directoryID) }
            )
        }
    }

    private struct Entry: Encodable {
        var id: String
        var name: String
        var slug: String
        var mappings: [MappingEntry]
    }

    private struct MappingEntry: Encodable {
        var group_name: String
        @ExplicitNull var directory_id: String?
    }
}
