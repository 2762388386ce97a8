import ArgumentParser
import Foundation
import RosterCore

extension Roster.TeamCommands {
    /// `roster team list`: every team with the group names mapped to it.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List teams with the group names mapped to them.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print one JSON array of {\"id\", \"name\", \"slug\", \"mappings\": [{\"group_name\", \"directory_id\"}]}.")
        var json = false

        func run() async throws {
            try await global.runOnStore { store in
                let listing = TeamListing(teams: try await store.teams(), mappings: try await store.mappings(team: nil))
                Console.out(json ? try listing.json() : listing.table())
            }
        }
    }
}
