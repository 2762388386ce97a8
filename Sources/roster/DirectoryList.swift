import ArgumentParser
import Foundation
import RosterCore

extension Roster.DirectoryCommands {
    /// `roster directory list`: every directory with its provider and SCIM Base URL (never a token).
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List directories with their provider and SCIM Base URL.")

        @OptionGroup var global: GlobalOptions
        /// The public URL rule (BASE_URL, else http://HOST:PORT).
        @OptionGroup var address: ServerAddressOptions

        @Flag(help: "Print one JSON array of {\"id\", \"name\", \"provider\", \"provider_name\", \"base_url\", \"enabled\"}.")
        var json = false

        func run() async throws {
            try await CommandFailure.reporting {
                let environment = ProcessInfo.processInfo.environment
                let address = try address.resolve(environment: environment)
                let directories = try await global.withStore(environment: environment) { store in try await store.directories() }
                let listing = DirectoryListing(directories: directories, baseURL: address.baseURL)
                Console.out(json ? try listing.json() : listing.table())
            }
        }
    }
}
