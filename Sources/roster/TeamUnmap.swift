import ArgumentParser
import Foundation
import RosterCore

extension Roster.TeamCommands {
    /// `roster team unmap TEAM "GROUP NAME"`: removes a mapping and the memberships only it held.
    struct Unmap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a group-name mapping from a team; members it alone held leave the team."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The team's id, slug or name (see `roster team list`).")
        var team: String

        @Argument(help: "The mapped group name, exactly as `roster team list` shows it.")
        var groupName: String

        @Option(help: ArgumentHelp("The mapping's directory (default: the mapping for every directory).", valueName: "id"))
        var directory: String?

        func run() async throws {
            try await CommandFailure.reporting {
                let groupName = try TeamArguments.groupName(groupName)
                try await global.withStore(environment: ProcessInfo.processInfo.environment) { store in
                    let team = try await store.existingTeam(team)
                    try await store.checkDirectory(directory)
                    let mapping = TeamMapping(teamID: team.id, directoryID: directory, groupName: groupName)
                    guard try await store.mappings(team: team.id).contains(mapping) else {
                        throw CommandFailure.failed("team \(team.shown) has no mapping for \(mapping.shown) (see `roster team list`)")
                    }
                    try await store.unmap(team: team.id, groupName: groupName, directoryID: directory, by: .commandLineUser())
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
}
