import ArgumentParser
import Foundation
import RosterCore

extension Roster.DirectoryCommands {
    /// `roster directory create`: makes a directory and shows its SCIM Base URL and Bearer Token, the token once.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a directory and print its SCIM Base URL and SCIM Bearer Token (the token is shown only once)."
        )

        @OptionGroup var global: GlobalOptions
        /// The public URL rule (BASE_URL, else http://HOST:PORT).
        @OptionGroup var address: ServerAddressOptions

        @Option(help: "The directory's name, shown to admins.")
        var name: String

        @Option(help: "The identity provider.")
        var provider: DirectoryProvider

        @Flag(help: "Print one JSON object: {\"id\", \"name\", \"provider\", \"base_url\", \"token\"}.")
        var json = false

        func run() async throws {
            try await CommandFailure.reporting {
                let environment = ProcessInfo.processInfo.environment
                let name = try DirectoryName.validated(name)
                let address = try address.resolve(environment: environment)
                let (token, hash) = BearerToken.generate()
                let directory = try await global.withStore(environment: environment) { store in
                    try await store.createDirectory(name: name, provider: provider, tokenHash: hash, by: .commandLineUser())
                }
                let credentials = DirectoryCredentials(directory: directory, baseURL: address.baseURL, token: token)
                Console.out(json ? try credentials.json() : credentials.text(created: true))
            }
        }
    }
}

extension DirectoryProvider: ExpressibleByArgument {}
