import ArgumentParser
import Foundation
import RosterCore

extension Roster.DirectoryCommands {
    /// `roster directory rotate-token ID`: replaces a directory's token and shows the new one once.
    struct RotateToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a directory's SCIM Bearer Token; the old one stops working and the new one is shown only once."
        )

        @OptionGroup var options: AddressedStoreOptions

        @Argument(help: "The directory's id (see `roster directory list`).")
        var id: String

        @OptionGroup var output: CredentialsOutput

        func run() async throws {
            try await options.runOnStore { store, baseURL in
                guard let directory = try await store.directory(id: id) else { throw CommandFailure.unknownDirectory(id) }
                let (token, hash) = BearerToken.generate()
                guard try await store.replaceTokenHash(directoryID: directory.id, tokenHash: hash, by: .commandLineUser()) else {
                    throw CommandFailure.unknownDirectory(id)
                }
                try output.print(DirectoryCredentials(directory: directory, baseURL: baseURL, token: token), created: false)
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
