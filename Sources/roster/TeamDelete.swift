import ArgumentParser
import Foundation
import RosterCore

extension Roster.TeamCommands {
    /// `roster team delete TEAM`: deletes a team with its mappings and memberships.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a team with its group mappings and memberships.")

        @OptionGroup var team: TeamOptions

        func run() async throws {
            try await team.runOnStore { store, team in
                let mappings = try await store.mappings(team: team.id).count
                let members = try await store.teamMembers(team.id)
                try await store.deleteTeam(team.id, by: .commandLineUser())
                Console.out(
                    "Deleted team \(team.shown), id \(team.id), with its \(Self.counted(mappings, "group mapping")); it had \(members.headcount)."
                )
            }
        }

        private static func counted(_ count: Int, _ noun: String) -> String {
            count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
        }
    }
}
