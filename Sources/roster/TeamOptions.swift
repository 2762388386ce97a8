import ArgumentParser
import RosterCore

/// Where the data is and the TEAM argument, in this order: what the `team` subcommands that act on one team take
/// first.
struct TeamOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Argument(help: "The team's id, slug or name (see `roster team list`).")
    var team: String

    /// The command's whole run: `check` is evaluated first (the other arguments, before the database opens), then
    /// `body` runs on the store with the team, which must exist (else exit code 1), and what `check` gave. Failures are
    /// reported as ``GlobalOptions/runOnStore(checking:_:)`` reports them.
    func runOnStore<Checked>(
        checking check: @autoclosure () throws -> Checked,
        _ body: (any RosterStorage, Team, Checked) async throws -> Void
    ) async throws {
        try await global.runOnStore(checking: check()) { store, checked in
            try await body(store, try await store.existingTeam(team), checked)
        }
    }

    /// ``runOnStore(checking:_:)`` for a command with nothing more to check.
    func runOnStore(_ body: (any RosterStorage, Team) async throws -> Void) async throws {
        try await runOnStore(checking: ()) { store, team, _ in try await body(store, team) }
    }
}
