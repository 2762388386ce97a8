import ArgumentParser
import RosterCore

/// How `team map` or `team unmap` explains the arguments of ``TeamMappingArguments`` that mean something else to it.
protocol TeamMappingWords {
    /// The help of the GROUP NAME argument.
    static var groupName: String { get }
    /// The help of `--directory`.
    static var directory: String { get }
}

/// What `team map` and `team unmap` take, in this order: where the data is, TEAM, GROUP NAME and `--directory`, the
/// last two explained in `Words`.
struct TeamMappingArguments<Words: TeamMappingWords>: ParsableArguments {
    @OptionGroup var team: TeamOptions

    @Argument(help: ArgumentHelp(Words.groupName))
    var groupName: String

    @Option(help: ArgumentHelp(Words.directory, valueName: "id"))
    var directory: String?

    /// The command's whole run: checks GROUP NAME (before the database opens), then runs `body` on the store with the
    /// team, which must exist, and the group name, once `--directory`, when given, is known to name a directory.
    /// Failures are reported as ``GlobalOptions/runOnStore(checking:_:)`` reports them.
    func runOnStore(_ body: (any RosterStorage, Team, _ groupName: String) async throws -> Void) async throws {
        try await team.runOnStore(checking: TeamArguments.groupName(groupName)) { store, team, groupName in
            try await store.checkDirectory(directory)
            try await body(store, team, groupName)
        }
    }
}
