import ArgumentParser
import Foundation
import RosterCore

extension Roster.DirectoryCommands {
    /// `roster directory create`: makes a directory and shows its SCIM Base URL and Bearer Token, the token once.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a directory and print its SCIM Base URL and SCIM Bearer Token (the token is shown only once)."
        )

        @OptionGroup var options: AddressedStoreOptions

        @Option(help: "The directory's name, shown to admins.")
        var name: String

        @Option(help: "The identity provider.")
        var provider: DirectoryProvider

        @OptionGroup var output: CredentialsOutput

        func run() async throws {
            try await options.runOnStore(checking: DirectoryName.validated(name)) { store, baseURL, name in
                let (token, hash) = BearerToken.generate()
                let directory = try await store.createDirectory(name: name, provider: provider, tokenHash: hash, by: .commandLineUser())
                try output.print(DirectoryCredentials(directory: directory, baseURL: baseURL, token: token), created: true)
            }
        }
    }
}

extension DirectoryProvider: ExpressibleByArgument {}
