import ArgumentParser
import Foundation
import RosterCore

extension Roster.DirectoryCommands {
    /// `roster directory list`: every directory with its provider and SCIM Base URL (never a token).
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List directories with their provider and SCIM Base URL.")

        @OptionGroup var options: AddressedStoreOptions

        @Flag(help: "Print one JSON array of {\"id\", \"name\", \"provider\", \"provider_name\", \"base_url\", \"enabled\"}.")
        var json = false

        func run() async throws {
            try await options.runOnStore { store, baseURL in
                let listing = DirectoryListing(directories: try await store.directories(), baseURL: baseURL)
                Console.out(json ? try listing.json() : listing.table())
            }
        }
    }
}
