import ArgumentParser
import RosterCore

extension Roster {
    /// `roster team …`: create, list, rename and delete teams, map IdP group names to them and list their members.
    struct TeamCommands: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "team",
            abstract: "Manage teams: their members follow the identity provider's groups mapped to them by exact name.",
            discussion: """
                TEAM is a team's id, slug or name (see `roster team list`). A group name matches a group whose displayName \
                equals it exactly, case included.
                """,
            subcommands: [Create.self, List.self, Rename.self, Delete.self, Map.self, Unmap.self, Members.self]
        )
    }
}

extension TeamStore {
    /// The team whose id, slug or name is `reference`; fails with exit code 1 when there is none.
    func existingTeam(_ reference: String) async throws -> Team {
        guard let team = try await team(reference) else { throw CommandFailure.unknownTeam(reference) }
        return team
    }
}

extension RosterStore {
    /// Checks that a `--directory` option, when given, names a directory; fails with exit code 1 when it does not.
    func checkDirectory(_ id: String?) async throws {
        if let id, try await directory(id: id) == nil { throw CommandFailure.unknownDirectory(id) }
    }
}

extension CommandFailure {
    /// No team has this id, slug or name: exit code 1.
    static func unknownTeam(_ reference: String) -> CommandFailure {
        .failed("no team with id, slug or name \"\(reference.replacingNewlines())\" (see `roster team list`)")
    }
}
