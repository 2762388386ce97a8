import ArgumentParser
import Foundation
import RosterCore

extension Roster.DirectoryCommands {
    /// `roster directory delete ID`: deletes a directory with its users and groups.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a directory with all its users and groups.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The directory's id (see `roster directory list`).")
        var id: String

        func run() async throws {
            try await global.runOnStore { store in
                guard let directory = try await store.directory(id: id),
                    try await store.deleteDirectory(id: directory.id, by: .commandLineUser())
                else {
                    throw CommandFailure.unknownDirectory(id)
                }
                Console.out(
                    "Deleted directory \"\(directory.name)\" (\(directory.provider.displayName)), id \(directory.id), with its users and groups."
                )
            }
        }
    }
}
