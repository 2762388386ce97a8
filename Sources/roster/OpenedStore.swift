import Logging
import RosterCore
import RosterPostgres
import RosterSQLite

/// The database a command works on, opened behind ``RosterStorage``: a SQLite file (created and migrated when
/// opened), or a PostgreSQL database whose connection pool must run while the store is used and whose migrations
/// apply once it runs. Short commands use ``withRunning(_:)``; `roster serve` runs the pool in its service group.
struct OpenedStore: Sendable {
    /// Which back end holds the data.
    enum Backend: Sendable {
        /// A SQLite file, opened and migrated.
        case sqlite(DatabaseFile)
        /// A PostgreSQL database: nothing connects until the store's pool runs.
        case postgres(PostgresStore, target: PostgresTarget)
    }

    /// The store, whichever the back end.
    let storage: any RosterStorage
    /// The back end, for what only one of them does (the SQLite WAL checkpoint, running PostgreSQL's pool).
    let backend: Backend

    /// Opens `location`: a SQLite file is created (with its directory) and migrated at once; a PostgreSQL URL is
    /// parsed and its store made, logging to `logger`. An unusable URL or file fails with exit code 2.
    static func open(_ location: DatabaseLocation, logger: Logger) throws(CommandFailure) -> OpenedStore {
        switch location {
        case .sqlite(let path):
            let file = try DatabaseFile.open(sqlitePath: path)
            return OpenedStore(storage: file.store, backend: .sqlite(file))
        case .postgres(let url):
            let target: PostgresTarget
            do {
                target = try PostgresTarget(url: url)
            } catch {
                throw .configuration(error.description)
            }
            let store = PostgresStore(target: target, logger: logger)
            return OpenedStore(storage: store, backend: .postgres(store, target: target))
        }
    }

    /// The database in words for messages, never with a password: `SQLite file /abs/path` or
    /// `PostgreSQL postgresql://USER@HOST:PORT/DATABASE?sslmode=…`.
    var summary: String {
        switch backend {
        case .sqlite(let file): "SQLite file \(file.path)"
        case .postgres(_, let target): "PostgreSQL \(target)"
        }
    }

    /// The SQLite file, or nil on PostgreSQL.
    var sqliteFile: DatabaseFile? {
        guard case .sqlite(let file) = backend else { return nil }
        return file
    }

    /// The PostgreSQL store, or nil on SQLite.
    var postgresStore: PostgresStore? {
        guard case .postgres(let store, _) = backend else { return nil }
        return store
    }

    /// Applies PostgreSQL's pending migrations (the pool must be running); nothing on SQLite, migrated when opened.
    /// A database that cannot be reached or migrated fails with exit code 2, in one line.
    func migrate() async throws(CommandFailure) {
        guard case .postgres(let store, let target) = backend else { return }
        do {
            try await store.migrate()
        } catch let unavailable as StoreUnavailable {
            throw .configuration("cannot open the PostgreSQL database: \(unavailable.reason)")
        } catch {
            throw .configuration("cannot open the PostgreSQL database \(target): \(String(reflecting: error).replacingNewlines())")
        }
    }

    /// Runs `body` with the store while it is usable: on PostgreSQL the pool runs in a child task, migrations are
    /// applied first, and the pool closes once `body` returns or throws; on SQLite `body` simply runs.
    func withRunning<T>(_ body: (any RosterStorage) async throws -> T) async throws -> T {
        guard let store = postgresStore else { return try await body(storage) }
        return try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try? await store.run() }
            defer { group.cancelAll() }
            try await migrate()
            return try await body(storage)
        }
    }
}
