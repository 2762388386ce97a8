import ArgumentParser
import Foundation
import RosterCore

extension Roster.TeamCommands {
    /// `roster team list`: every team with the group names mapped to it.
    struct List: AsyncParsableCommand {
        /// The command's help.
        static let configuration = CommandConfiguration(abstract: "List teams with the group names mapped to them.")

        /// The database.
        @OptionGroup var global: GlobalOptions

        /// Print a JSON array instead of a table.
        @Flag(help: "Print one JSON array of {\"id\", \"name\", \"slug\", \"mappings\": [{\"group_name\", \"directory_id\"}]}.")
        var json = false

        /// Lists the teams.
        func run() async throws {
            try await CommandFailure.reporting {
                try await global.withStore(environment: ProcessInfo.processInfo.environment) { store in
                    let listing = TeamListing(teams: try await store.teams(), mappings: try await store.mappings(team: nil))
                    Console.out(json ? try listing.json() : listing.table())
                }
            }
        }
    }
}
