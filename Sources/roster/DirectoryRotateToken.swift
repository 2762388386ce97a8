import ArgumentParser
import Foundation
import RosterCore

extension Roster.DirectoryCommands {
    /// `roster directory rotate-token ID`: replaces a directory's token and shows the new one once.
    struct RotateToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a directory's SCIM Bearer Token; the old one stops working and the new one is shown only once."
        )

        @OptionGroup var global: GlobalOptions
        /// The public URL rule (BASE_URL, else http://HOST:PORT).
        @OptionGroup var address: ServerAddressOptions

        @Argument(help: "The directory's id (see `roster directory list`).")
        var id: String

        @Flag(help: "Print one JSON object: {\"id\", \"name\", \"provider\", \"base_url\", \"token\"}.")
        var json = false

        func run() async throws {
            try await CommandFailure.reporting {
                let environment = ProcessInfo.processInfo.environment
                let address = try address.resolve(environment: environment)
                try await global.withStore(environment: environment) { store in
                    guard let directory = try await store.directory(id: id) else { throw CommandFailure.unknownDirectory(id) }
                    let (token, hash) = BearerToken.generate()
                    guard try await store.replaceTokenHash(directoryID: directory.id, tokenHash: hash, by: .commandLineUser()) else {
                        throw CommandFailure.unknownDirectory(id)
                    }
                    let credentials = DirectoryCredentials(directory: directory, baseURL: address.baseURL, token: token)
                    Console.out(json ? try credentials.json() : credentials.text(created: false))
                }
            }
        }
    }
}

extension CommandFailure {
    /// No directory has this id: exit code 1.
    static func unknownDirectory(_ id: String) -> CommandFailure {
        .failed("no directory with id \"\(id.replacingNewlines())\" (see `roster directory list`)")
    }
}
