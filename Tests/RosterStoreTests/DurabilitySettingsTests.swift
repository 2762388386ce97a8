import Foundation
import GRDB
import RosterTestSupport
import Testing

@testable import RosterSQLite

/// The SQLite settings that make a 2xx durable (RELIABILITY.md): a store opened on a file writes and reads in WAL mode
/// with `synchronous = FULL` on every connection, so each commit's log is fsync'd before the answer goes out.
@Suite("Durability settings")
struct DurabilitySettingsTests {
    /// `PRAGMA synchronous` reports 2 for FULL (0 OFF, 1 NORMAL, 3 EXTRA).
    static let full = 2

    @Test func everyConnectionOfAFileStoreCommitsWithFullSynchronousInWALMode() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-durability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("roster.sqlite").path)

        let writerSettings = try await store.commits.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(writerSettings.0 == Self.full)
        #expect(writerSettings.1 == "wal")
        let readerSynchronous = try store.readNow { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(readerSynchronous == Self.full)
    }

    @Test func aNewFileGetsTwoKiBPagesAndAnExistingFileKeepsItsOwn() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fresh = try SQLiteStore(path: folder.appendingPathComponent("new.sqlite").path)
        #expect(try fresh.readNow { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == SQLiteStore.pageSize)
        // A file made with 4 KiB pages (as before) keeps them: the setting only shapes a new file.
        let oldPath = folder.appendingPathComponent("old.sqlite").path
        let old = try DatabaseQueue(path: oldPath)
        try await old.write { db in
            try db.execute(sql: "PRAGMA page_size = 4096")
            try db.execute(sql: "CREATE TABLE t (x)")
        }
        try old.close()
        let existing = try SQLiteStore(path: oldPath)
        #expect(try existing.readNow { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 4096)
    }
}
