import ArgumentParser
import Foundation
import RosterCore

extension Roster.TeamCommands {
    /// `roster team map TEAM "GROUP NAME"`: maps a group name to a team; the groups of that name fill the team at once.
    struct Map: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Map a group name to a team: every active member of a group of that exact name is in the team, now and later."
        )

        /// How `team map` explains GROUP NAME and `--directory`.
        enum Words: TeamMappingWords {
            static let groupName = "The group's name exactly as the identity provider shows it (its SCIM displayName), case included."
            static let directory = "Only groups of this directory count (default: groups of every directory)."
        }

        @OptionGroup var arguments: TeamMappingArguments<Words>

        func run() async throws {
            try await arguments.runOnStore { store, team, groupName in
                let outcome = try await store.map(
                    team: team.id,
                    groupName: groupName,
                    directoryID: arguments.directory,
                    by: .commandLineUser()
                )
                let members = try await store.teamMembers(team.id)
                var lines = [
                    outcome.alreadyMapped
                        ? "Team \(team.shown) already had \(outcome.mapping.shown) mapped to it."
                        : "Mapped \(outcome.mapping.shown) to team \(team.shown).",
                    "Team \(team.shown) now has \(members.headcount).",
                ]
                if !members.contains(where: outcome.mapping.feeds) {
                    lines.append(
                        "No member of a group named \"\(groupName.replacingNewlines())\" is in the team yet: names match exactly, case "
                            + "included; the members join when the identity provider pushes the group."
                    )
                }
                for name in outcome.namesDifferingInCase {
                    lines.append("A group named \"\(name.replacingNewlines())\" differs only in case: did you mean it?")
                }
                Console.out(lines.joined(separator: "\n"))
            }
        }
    }
}
