import Foundation
import GRDB
import RosterCore

extension SQLiteStore: StoreReadiness {
    /// Nil when every migration is applied and an immediate (write) transaction can begin.
    public func readinessProblem() async -> String? {
        do {
            let current = try await writer.read { db in try RosterMigrations.migrator.hasCompletedMigrations(db) }
            guard current else { return "database migrations are not all applied" }
            try await writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) { .rollback }
            }
            return nil
        } catch {
            return "the database does not accept writes: \(error)"
        }
    }

    /// Checkpoints the WAL into the main file and truncates it.
    public func checkpoint() async throws {
        try await writer.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
    }

    /// Copies the database with SQLite's online backup API into a new file at `path`.
    public func backup(to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreCorruption(detail: "\(path) already exists") }
        let destination = try DatabaseQueue(path: path)
        try writer.backup(to: destination)
        try await destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        try destination.close()
    }
}
