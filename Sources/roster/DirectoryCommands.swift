import ArgumentParser

extension Roster {
    /// `roster directory …`: create, list, re-key and delete directories (one per IdP connection).
    struct DirectoryCommands: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "directory",
            abstract: "Manage directories: each is one identity provider's SCIM connection, with its own URL and token.",
            subcommands: [Create.self, List.self, RotateToken.self, Delete.self]
        )
    }
}
