import ArgumentParser
import Foundation
import RosterCore

extension Roster.TeamCommands {
    /// `roster team unmap TEAM "GROUP NAME"`: removes a mapping and the memberships only it held.
    struct Unmap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a group-name mapping from a team; members it alone held leave the team."
        )

        /// How `team unmap` explains GROUP NAME and `--directory`.
        enum Words: TeamMappingWords {
            static let groupName = "The mapped group name, exactly as `roster team list` shows it."
            static let directory = "The mapping's directory (default: the mapping for every directory)."
        }

        @OptionGroup var arguments: TeamMappingArguments<Words>

        func run() async throws {
            try await arguments.runOnStore { store, team, groupName in
                let mapping = TeamMapping(teamID: team.id, directoryID: arguments.directory, groupName: groupName)
                guard try await store.mappings(team: team.id).contains(mapping) else {
                    throw CommandFailure.failed("team \(team.shown) has no mapping for \(mapping.shown) (see `roster team list`)")
                }
                try await store.unmap(team: team.id, groupName: groupName, directoryID: arguments.directory, by: .commandLineUser())
                let members = try await store.teamMembers(team.id)
                Console.out(
                    """
                    Unmapped \(mapping.shown) from team \(team.shown).
                    Team \(team.shown) now has \(members.headcount).
                    """
                )
            }
        }
    }
}
