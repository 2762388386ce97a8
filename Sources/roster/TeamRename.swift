import ArgumentParser
import Foundation
import RosterCore

extension Roster.TeamCommands {
    /// `roster team rename TEAM NAME`: gives a team a new name; its slug, mappings and members stay.
    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a team; its slug, mappings and members stay.")

        @OptionGroup var team: TeamOptions

        @Argument(help: "The team's new name.")
        var name: String

        func run() async throws {
            try await team.runOnStore(checking: TeamArguments.name(name)) { store, before, name in
                let after = try await store.renameTeam(before.id, to: name, by: .commandLineUser())
                Console.out("Renamed team \(before.shown) to \"\(after.name)\"; its slug stays \(after.slug).")
            }
        }
    }
}
