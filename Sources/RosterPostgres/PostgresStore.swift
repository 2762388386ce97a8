import Foundation
import Logging
import PostgresNIO
import RosterCore
import SCIM
import ServiceLifecycle

/// The PostgreSQL implementation of Roster's storage protocols (``RosterStorage``): postgres-nio's connection pool
/// under a supervisor (``run()``: the store is a swift-service-lifecycle `Service` the server runs), the versioned ``PostgresMigrations`` applied at
/// start-up under an advisory lock, and every SCIM write in one transaction that also appends its events.
///
/// Correct under concurrency, not by accident: a write locks the rows it reads (`SELECT … FOR NO KEY UPDATE`:
/// the update lock that leaves foreign-key checks of membership rows free, so they cannot deadlock with it), detects
/// effective changes from what its statements did (`ON CONFLICT DO NOTHING RETURNING`), and maps unique violations
/// (SQLSTATE 23505) to SCIM 409 `uniqueness`. Event writers are ordered by a transaction-scoped advisory lock
/// (``PostgresTransaction/commit()``) so that the event feed never skips. While PostgreSQL is unreachable every
/// call throws ``StoreUnavailable`` (503 with `Retry-After`) and the pool reconnects by itself when it is back.
public final class PostgresStore: Sendable, Service {
    /// The connection pool and its supervisor; ``run()`` runs them.
    let pools: PostgresPoolSupervisor
    /// Where the store logs.
    let logger: Logger
    /// The current time in milliseconds since 1970; replaceable in tests.
    let now: @Sendable () -> Int64
    /// Whether event writers take the feed lock. Always true, except in the test that shows what it prevents.
    let ordersEvents: Bool
    /// The server, without its password, for messages.
    let targetDescription: String
    /// Token hashes read in the last second.
    let tokenHashes = TokenHashCache()

    /// The advisory lock key migrations run under (`pg_advisory_xact_lock`): "Roster" and 1.
    static let migrationLockKey: Int64 = 0x526F_7374_6572_0001
    /// The advisory lock key every transaction takes before its event inserts: "Roster" and 2.
    static let eventFeedLockKey: Int64 = 0x526F_7374_6572_0002

    /// The key an event insert locks: ``eventFeedLockKey``, or, in the one test that shows what the lock prevents
    /// (`ordered` false), a key of its own that orders nothing.
    static func feedLockKey(ordered: Bool) -> Int64 {
        ordered ? eventFeedLockKey : Int64.random(in: 1...Int64.max)
    }

    /// Makes a store for `target`; nothing connects until ``run()`` runs. `maximumConnections` bounds the pool.
    public init(
        target: PostgresTarget,
        maximumConnections: Int = 20,
        logger: Logger = Logger(label: "roster.postgres"),
        now: (@Sendable () -> Int64)? = nil,
        ordersEvents: Bool = true
    ) {
        let configuration = target.clientConfiguration(maximumConnections: maximumConnections)
        self.pools = PostgresPoolSupervisor(
            targetDescription: target.description,
            probeConfiguration: try? target.configuration(),
            logger: logger,
            makeClient: { PostgresClient(configuration: configuration, backgroundLogger: logger) }
        )
        self.logger = logger
        self.now = now ?? { WallClock.millisecondsSince1970() }
        self.ordersEvents = ordersEvents
        self.targetDescription = target.description
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts down (a swift-service-
    /// lifecycle `Service`); every other method needs it running.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.pools.run() }
    }

    /// A new resource, directory, team or endpoint id.
    static func newID() -> String { UUID().uuidString.lowercased() }

    // MARK: Migrations

    /// Applies the migrations not yet applied, in one transaction under an advisory lock, so several processes
    /// starting at once migrate exactly once (the others wait, then find nothing to do). A database that
    /// `roster export-postgres` filled is already current.
    public func migrate() async throws {
        try await write { transaction in
            try await transaction.execute("SELECT pg_advisory_xact_lock(\(PostgresStore.migrationLockKey))")
            try await transaction.execute(
                "CREATE TABLE IF NOT EXISTS roster_migration (identifier TEXT PRIMARY KEY NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            let applied = Set(try await transaction.rows("SELECT identifier FROM roster_migration").map { try $0.decode(String.self) })
            let known = Set(PostgresMigrations.all.map(\.identifier))
            if let unknown = applied.subtracting(known).sorted().first {
                throw StoreCorruption(detail: "the database was migrated by a newer Roster (\"\(unknown)\"); run that version")
            }
            for migration in PostgresMigrations.all where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await transaction.execute(PostgresQuery(unsafeSQL: statement))
                }
                try await transaction.execute("INSERT INTO roster_migration (identifier) VALUES (\(migration.identifier))")
            }
        }
    }

    // MARK: Transactions

    /// Runs `body` on a pooled connection outside an explicit transaction (each statement sees committed data).
    /// `onConnectionLoop` runs it on the connection's event loop: for a statement or two with little work around
    /// them (see ``PostgresPoolSupervisor/withConnection(onConnectionLoop:_:)``).
    func read<T: Sendable>(onConnectionLoop: Bool = false, _ body: @escaping @Sendable (PostgresReader) async throws -> T) async throws -> T {
        let logger = logger
        do {
            return try await pools.withConnection(onConnectionLoop: onConnectionLoop) { connection in
                try await body(PostgresReader(connection: connection, logger: logger))
            }
        } catch {
            throw mapped(error)
        }
    }

    /// Runs `body` in one transaction: `BEGIN`, the body, `COMMIT`; any error rolls back. A 2xx built on the result
    /// means `COMMIT` returned (with the server's `synchronous_commit`, on by default: the change is durable).
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        let logger = logger
        let ordersEvents = ordersEvents
        do {
            return try await pools.withConnection(onConnectionLoop: true) { connection in
                let transaction = PostgresTransaction(connection: connection, logger: logger, ordersEvents: ordersEvents)
                try await transaction.execute("BEGIN")
                do {
                    let result = try await body(transaction)
                    // The commit writes the queued events and audit entries first: a refusal there must roll back too,
                    // or the connection would go back to the pool inside an aborted transaction.
                    try await transaction.commit()
                    return result
                } catch {
                    if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger) }
                    throw error
                }
            }
        } catch {
            throw mapped(error)
        }
    }

    /// The error a caller sees: unique violations become 409 `uniqueness`, a lost or refused connection
    /// ``StoreUnavailable``; Roster's own errors pass through.
    func mapped(_ error: any Error) -> any Error {
        if String(describing: type(of: error)).contains("ConnectionPoolError") {
            return StoreUnavailable(reason: "PostgreSQL at \(targetDescription) is unreachable (\(error))")
        }
        guard let error = error as? PSQLError else { return error }
        if let state = error.serverInfo?[.sqlState] {
            switch state {
            case "23505":
                return SCIMError.uniqueness("the value is already in use (\(error.serverInfo?[.constraintName] ?? "a unique index"))")
            case "23503":
                // A row the change refers to was deleted meanwhile (a directory deleted on another replica while
                // its token was still remembered here, a user deleted while being added): trying again answers right.
                return StoreUnavailable(reason: "a row this change refers to was deleted meanwhile; try again", retryAfterSeconds: 1)
            case "40001", "40P01":
                return StoreUnavailable(reason: "PostgreSQL aborted a conflicting transaction (\(state)); try again", retryAfterSeconds: 1)
            case let state where state.hasPrefix("08") || state.hasPrefix("57P"):
                return StoreUnavailable(reason: "PostgreSQL at \(targetDescription) is unavailable (SQLSTATE \(state))")
            default:
                return PostgresStatementError(
                    sqlState: state,
                    message: error.serverInfo?[.message] ?? "",
                    query: error.query?.sql ?? ""
                )
            }
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown, .sslUnsupported,
            .failedToAddSSLHandler:
            return StoreUnavailable(reason: "PostgreSQL at \(targetDescription) is unreachable (\(error.code))")
        default:
            return error
        }
    }
}

/// Reads on a pooled connection.
struct PostgresReader {
    /// The connection, leased for the reader's life.
    let connection: PostgresConnection
    /// Where queries log.
    let logger: Logger

}

/// An open write transaction on one connection.
final class PostgresTransaction {
    /// The connection, leased for the transaction's life.
    let connection: PostgresConnection
    /// Where queries log.
    let logger: Logger
    /// Whether event inserts take the feed lock.
    private let ordersEvents: Bool
    /// Events to insert at commit, in order, with their times.
    private var pendingEvents: [(NewEvent, Int64)] = []
    /// A row whose `modified_at` and version move at commit, in the statement that inserts the events.
    private var pendingTouch: (table: String, rowID: Int64, at: Int64)?
    /// Audit entries to insert at commit, in order, with their times (``PostgresAuditTrail``).
    private var pendingAudit: [(entry: AuditEntry, at: Int64)] = []

    /// Wraps a connection on which `BEGIN` has run.
    init(connection: PostgresConnection, logger: Logger, ordersEvents: Bool) {
        self.connection = connection
        self.logger = logger
        self.ordersEvents = ordersEvents
    }

    /// Runs a statement, discarding any rows.
    func execute(_ query: PostgresQuery) async throws {
        try connection.requireOpen()
        _ = try await connection.query(query, logger: logger).collect()
    }

    /// Queues an event for the outbox; ``commit()`` inserts it just before `COMMIT`.
    func append(_ event: NewEvent, at timestamp: Int64) {
        pendingEvents.append((event, timestamp))
    }

    /// Queues an audit entry of this transaction's change; ``commit()`` inserts it as its last statement, under the
    /// audit lock (``PostgresAuditTrail``), so that the entry commits exactly when the change does.
    func record(_ entry: AuditEntry, at timestamp: Int64) {
        pendingAudit.append((entry, timestamp))
    }

    /// Moves a row's `modified_at` and version (once, however often it is called) in the statement that inserts
    /// the events at commit, saving a round trip; the caller holds the row's lock.
    func touchAtCommit(table: String, rowID: Int64, at timestamp: Int64) {
        pendingTouch = (table, rowID, timestamp)
    }

    /// Inserts the queued events and audit entries, and commits.
    ///
    /// The event feed must never skip: with a plain identity sequence, transaction A could take sequence 41, B take
    /// 42 and commit first, and a reader of `after=40` would see 42, move its cursor and never see 41. So the
    /// events are inserted at the very end of the transaction, after a transaction-scoped advisory lock that
    /// `COMMIT` releases: event writers insert and commit one after another, as SQLite's single writer does, and
    /// sequences become visible in order. Holding the lock only for the insert and the commit keeps the serialized
    /// part short, and since no row lock is taken after it, it cannot deadlock with the row locks writes take. (A
    /// commit-ordered watermark would serialize less but needs a second table and a sweeper.)
    ///
    /// Audit entries are ordered the same way by a lock of their own (``PostgresAuditTrail``), taken before the feed
    /// lock and released by the same `COMMIT`; the entries are inserted last, after the events.
    func commit() async throws {
        let audit = PostgresAuditTrail(transaction: self)
        if !pendingAudit.isEmpty { try await audit.lock() }
        if !pendingEvents.isEmpty {
            let lockKey = feedLockKey
            let touch = (pendingTouch?.at ?? 0, pendingTouch?.rowID ?? 0)
            switch pendingTouch?.table {
            case "scim_group":
                _ = try await rows(PostgresWriteStatements.InsertEvents<TouchGroup>(events: pendingEvents, lockKey: lockKey, touch: touch))
            case "scim_user":
                _ = try await rows(PostgresWriteStatements.InsertEvents<TouchUser>(events: pendingEvents, lockKey: lockKey, touch: touch))
            default:
                _ = try await rows(PostgresWriteStatements.InsertEvents<NoTouch>(events: pendingEvents, lockKey: lockKey, touch: touch))
            }
        } else if let row = pendingTouch {
            try await execute("UPDATE \(unescaped: row.table) SET modified_at = \(row.at), version = version + 1 WHERE row_id = \(row.rowID)")
        }
        if !pendingAudit.isEmpty { try await audit.insert(pendingAudit) }
        pendingEvents.removeAll()
        pendingTouch = nil
        pendingAudit.removeAll()
        try await execute("COMMIT")
    }

    /// The key of the feed lock this transaction's event insert takes (``PostgresStore/feedLockKey(ordered:)``).
    var feedLockKey: Int64 { PostgresStore.feedLockKey(ordered: ordersEvents) }
}

/// A statement PostgreSQL refused for a reason Roster does not map to a SCIM answer (a bug, or a schema that is not
/// Roster's): a 500, logged with the server's message and the statement (never its parameters).
struct PostgresStatementError: Error, CustomStringConvertible {
    /// The SQLSTATE code.
    var sqlState: String
    /// The server's message.
    var message: String
    /// The statement's text.
    var query: String

    /// All three, in one line.
    var description: String { "PostgreSQL refused a statement (SQLSTATE \(sqlState)): \(message) [\(query)]" }
}
