import ArgumentParser
import Foundation
import Logging
import RosterCore

/// The options every command shares: where the data is.
struct GlobalOptions: ParsableArguments {
    @Option(name: Setting.databaseURL.optionName, help: Setting.databaseURL.optionHelp)
    var databaseURL: String?

    /// The database location from the flag or the environment; an unusable URL fails with exit code 2.
    func databaseLocation(environment: [String: String]) throws(CommandFailure) -> DatabaseLocation {
        do {
            return try DatabaseLocation(parsing: Setting.databaseURL.value(flag: databaseURL, environment: environment))
        } catch {
            throw .configuration(error.description)
        }
    }

    /// Opens the database (a SQLite file is created with its directory when missing), its store logging to `logger`;
    /// fails with exit code 2. On PostgreSQL nothing connects yet: run the store (``OpenedStore/withRunning(_:)``).
    func openStore(environment: [String: String], logger: Logger = GlobalOptions.quietLogger) throws(CommandFailure) -> OpenedStore {
        try OpenedStore.open(databaseLocation(environment: environment), logger: logger)
    }

    /// Opens the database and runs `body` with its store while it is usable (on PostgreSQL: the pool running and the
    /// migrations applied); fails with exit code 2 when the database cannot be opened.
    func withStore<T>(environment: [String: String], _ body: (any RosterStorage) async throws -> T) async throws -> T {
        try await openStore(environment: environment).withRunning(body)
    }

    /// A short command's whole run on the store: `check` is evaluated first (the arguments, before the database
    /// opens), then `body` runs on the store opened from the flag or the process's environment, with what `check`
    /// gave. A failure of either becomes one line on standard error and its exit code (``CommandFailure/reporting(_:)``).
    func runOnStore<Checked>(
        checking check: @autoclosure () throws -> Checked,
        _ body: (any RosterStorage, Checked) async throws -> Void
    ) async throws {
        try await CommandFailure.reporting {
            let checked = try check()
            try await withStore(environment: ProcessInfo.processInfo.environment) { store in try await body(store, checked) }
        }
    }

    /// ``runOnStore(checking:_:)`` for a command with nothing to check before the database opens.
    func runOnStore(_ body: (any RosterStorage) async throws -> Void) async throws {
        try await runOnStore(checking: ()) { store, _ in try await body(store) }
    }

    /// The logger of a short command's store: critical messages only, so that nothing but the command's own output
    /// reaches standard output (which may be JSON).
    static var quietLogger: Logger {
        var logger = Logger(label: "roster.store")
        logger.logLevel = .critical
        return logger
    }
}
