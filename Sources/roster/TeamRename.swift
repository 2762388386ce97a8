import ArgumentParser
import Foundation
import RosterCore

extension Roster.TeamCommands {
    /// `roster team rename TEAM NAME`: gives a team a new name; its slug, mappings and members stay.
    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a team; its slug, mappings and members stay.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The team's id, slug or name (see `roster team list`).")
        var team: String

        @Argument(help: "The team's new name.")
        var name: String

        func run() async throws {
            try await CommandFailure.reporting {
                let name = try TeamArguments.name(name)
                try await global.withStore(environment: ProcessInfo.processInfo.environment) { store in
                    let before = try await store.existingTeam(team)
                    let after = try await store.renameTeam(before.id, to: name, by: .commandLineUser())
                    Console.out("Renamed team \(before.shown) to \"\(after.name)\"; its slug stays \(after.slug).")
                }
            }
        }
    }
}
