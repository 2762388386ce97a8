import Foundation
import GRDB
import RosterCore
import SCIM

/// The SQLite implementation of ``RosterStore``: GRDB on the system libsqlite3, WAL mode, versioned migrations.
/// Every SCIM write runs in one transaction that also appends its events to the outbox.
public final class SQLiteStore: RosterStore, ResourceModifying {
    /// The connection (a pool for files, a queue in memory).
    let writer: any DatabaseWriter
    /// Where every write goes: writes that arrive together share one transaction and one commit.
    let commits: GroupCommitWriter
    /// Where ``readNow(_:)`` reads.
    let pointReaders: PointReaders
    /// The current time in milliseconds since 1970; replaceable in tests.
    let now: @Sendable () -> Int64
    /// Token hashes read in the last second (``TokenHashCache``).
    let tokenHashes = TokenHashCache()

    /// Opens (creating and migrating) the SQLite file at `path`, in WAL mode with full synchronous commits so that a
    /// 2xx answer means the change is on disk.
    public convenience init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // A new file gets 2 KiB pages (the setting does nothing to an existing one): a create writes one page of
            // each of about ten indexes on random keys (id, userName, emails, …), and each written page goes to the
            // WAL whole, so half the page size is about half the bytes per commit. Measured: POST /Users 20–30 %
            // faster than with 4 KiB pages (BENCHMARKS.md); a user's document (under 2 KB) still fits its row.
            try db.execute(sql: "PRAGMA page_size = \(SQLiteStore.pageSize)")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // The pool switches its writer to WAL mode after `prepareDatabase` runs, and with it to `synchronous = NORMAL`,
        // which may lose the last acknowledged commits on power loss. The writer is one connection for the pool's
        // life, so setting FULL once here holds for every commit.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try self.init(writer: pool)
    }

    /// The page size of a new database file.
    static let pageSize = 2048

    /// A fresh in-memory store, for tests.
    public static func inMemory(now: (@Sendable () -> Int64)? = nil) throws -> SQLiteStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return try SQLiteStore(writer: DatabaseQueue(configuration: configuration), now: now)
    }

    /// Wraps a connection, applying the migrations.
    init(writer: any DatabaseWriter, now: (@Sendable () -> Int64)? = nil) throws {
        self.writer = writer
        self.commits = GroupCommitWriter(writer: writer)
        self.now = now ?? { WallClock.millisecondsSince1970() }
        try RosterMigrations.migrator.migrate(writer)
        if let pool = writer as? DatabasePool {
            pointReaders = try PointReaders(
                path: pool.path,
                count: max(2, ProcessInfo.processInfo.activeProcessorCount),
                configuration: pool.configuration
            )
        } else {
            pointReaders = PointReaders(reader: writer)
        }
    }

    /// Runs a SCIM read on the calling thread (see ``PointReaders``): for indexed lookups and list pages, which
    /// are CPU work on cached pages, that costs less than handing the read to a database thread and back.
    func readNow<T>(_ value: (Database) throws -> T) throws -> T {
        try pointReaders.read(value)
    }

    /// A new resource or directory id.
    static func newID() -> String { UUID().uuidString.lowercased() }

    // MARK: Directories

    /// Creates a directory, with its audit entry in the same transaction.
    public func createDirectory(name: String, provider: DirectoryProvider, tokenHash: [UInt8], by actor: AuditActor) async throws -> Directory {
        let directory = Directory(id: SQLiteStore.newID(), name: name, provider: provider, createdAt: now())
        try await commits.write { db in
            try db.execute(
                sql: "INSERT INTO directory (id, name, provider, token_hash, enabled, created_at) VALUES (?, ?, ?, ?, 1, ?)",
                arguments: [directory.id, directory.name, directory.provider.rawValue, Data(tokenHash), directory.createdAt]
            )
            try AuditTrail.append(db, .directoryCreated(directory, by: actor), at: directory.createdAt)
        }
        return directory
    }

    /// Every directory, oldest first.
    public func directories() async throws -> [Directory] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, provider, enabled, created_at FROM directory ORDER BY created_at, id")
                .map(SQLiteStore.directory(from:))
        }
    }

    /// The directory with `id`.
    public func directory(id: String) async throws -> Directory? {
        try await writer.read { db in try SQLiteStore.fetchDirectory(db, id: id) }
    }

    /// The directory with `id` in the open transaction, if any.
    static func fetchDirectory(_ db: Database, id: String) throws -> Directory? {
        try Row.fetchOne(db, sql: "SELECT id, name, provider, enabled, created_at FROM directory WHERE id = ?", arguments: [id])
            .map(SQLiteStore.directory(from:))
    }

    private static func directory(from row: Row) -> Directory {
        Directory(
            id: row["id"],
            name: row["name"],
            provider: DirectoryProvider(rawValue: row["provider"]) ?? .generic,
            enabled: row["enabled"],
            createdAt: row["created_at"]
        )
    }

    /// The token hash of an enabled directory (``TokenHashCache``: read at most once a second per directory).
    public func tokenHash(directoryID: String) async throws -> [UInt8]? {
        try await tokenHashes.hash(for: directoryID) {
            try readNow { db in
                let statement = try db.cachedStatement(sql: "SELECT token_hash FROM directory WHERE id = ? AND enabled = 1")
                return try Data.fetchOne(statement, arguments: [directoryID]).map { Array($0) }
            }
        }
    }

    /// Replaces a directory's token hash, recording the rotation (never the hash) in the same transaction.
    public func replaceTokenHash(directoryID: String, tokenHash: [UInt8], by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await tokenHashes.forgetting(directoryID) {
            try await commits.write { db in
                guard let directory = try SQLiteStore.fetchDirectory(db, id: directoryID) else { return false }
                try db.execute(sql: "UPDATE directory SET token_hash = ? WHERE id = ?", arguments: [Data(tokenHash), directoryID])
                try AuditTrail.append(db, .directoryTokenRotated(directory, by: actor), at: timestamp)
                return true
            }
        }
    }

    /// Deletes a directory and everything in it, recording what it was in the same transaction.
    public func deleteDirectory(id: String, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await tokenHashes.forgetting(id) {
            try await commits.write { db in
                let directory = try SQLiteStore.fetchDirectory(db, id: id)
                // Its users leave their teams; say so before the rows cascade away.
                let teams = TeamSync(db: db, at: timestamp)
                for userRow in try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT t.user_row FROM team_membership t JOIN scim_user u ON u.row_id = t.user_row
                        WHERE u.directory_id = ? ORDER BY t.user_row
                        """,
                    arguments: [id]
                ) {
                    try teams.userDeleting(userRow: userRow)
                }
                try db.execute(sql: "DELETE FROM directory WHERE id = ?", arguments: [id])
                let deleted = db.changesCount > 0
                // Its rows' triggers have brought its counts to zero; the rows go with it.
                try db.execute(sql: "DELETE FROM resource_count WHERE directory_id = ?", arguments: [id])
                if deleted, let directory {
                    try AuditTrail.append(db, .directoryDeleted(directory, by: actor), at: timestamp)
                }
                return deleted
            }
        }
    }

    /// Recorded warnings, newest first.
    public func warnings(directoryID: String, limit: Int) async throws -> [DirectoryWarning] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT at, message FROM directory_warning WHERE directory_id = ? ORDER BY row_id DESC LIMIT ?",
                arguments: [directoryID, limit]
            ).map { DirectoryWarning(at: $0["at"], message: $0["message"]) }
        }
    }
}
