import RosterCore

/// The teams with their mappings, as a table or as JSON.
struct TeamListing {
    /// The teams, by name.
    var teams: [Team]
    /// Every mapping, oldest first.
    var mappings: [TeamMapping]

    /// A team's mappings, oldest first.
    func mappings(of team: Team) -> [TeamMapping] {
        mappings.filter { $0.teamID == team.id }
    }

    /// A table with a header row, columns padded; a hint when there are no teams.
    func table() -> String {
        guard !teams.isEmpty else {
            return "No teams yet. Create one with: roster team create NAME"
        }
        return TextTable(
            header: ["ID", "NAME", "SLUG", "GROUPS"],
            rows: teams.map { team in
                let groups = mappings(of: team).map { "\"\($0.groupName)\" (\($0.scope))" }
                return [team.id, team.name, team.slug, groups.isEmpty ? "none" : groups.joined(separator: ", ")]
            }
        ).rendered()
    }

    /// One JSON array, one object per team; `directory_id` is null for a mapping that matches every directory.
    func json() throws -> String {
        try JSONOutput.line(
            teams.map { team in
                Entry(
                    id: team.id,
                    name: team.name,
                    slug: team.slug,
                    mappings: mappings(of: team).map { MappingEntry(group_name: $0.groupName, directory_id: $0.directoryID) }
                )
            }
        )
    }

    private struct Entry: Encodable {
        var id: String
        var name: String
        var slug: String
        var mappings: [MappingEntry]
    }

    private struct MappingEntry: Encodable {
        var group_name: String
        var directory_id: String?

        private enum CodingKeys: String, CodingKey {
            case group_name
            case directory_id
        }

        /// Writes `directory_id` as null rather than leaving it out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(group_name, forKey: .group_name)
            try container.encode(directory_id, forKey: .directory_id)
        }
    }
}
