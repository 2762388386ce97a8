import Foundation
import GRDB
import RosterCore
import RosterTestSupport
import SCIM
import Testing

@testable import RosterSQLite

/// Group commit: writes that arrive together share one transaction, each in its own savepoint.
@Suite("Group commit")
struct GroupCommitWriterTests {
    /// Counts the commits of a connection.
    final class CommitCounter: TransactionObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var commits = 0
        var count: Int {
            lock.lock()
            defer { lock.unlock() }
            return commits
        }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) {
            lock.lock()
            commits += 1
            lock.unlock()
        }
        func databaseDidRollback(_ db: Database) {}
    }

    struct Refused: Error, Equatable { let n: Int }

    /// A database with a table `t(n INTEGER PRIMARY KEY)`, a commit counter, and a writer over it.
    func makeDatabase() throws -> (DatabaseQueue, CommitCounter, GroupCommitWriter) {
        let queue = try DatabaseQueue()
        let counter = CommitCounter()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)")
            db.add(transactionObserver: counter, extent: .databaseLifetime)
        }
        return (queue, counter, GroupCommitWriter(writer: queue))
    }

    /// Starts `count` writes while the writer is held, so they wait together; every write inserts its number and
    /// the multiples of `failEvery` then throw, after inserting.
    func writeTogether(_ writer: GroupCommitWriter, count: Int, failEvery: Int) async throws -> [Int: Result<Int, Refused>] {
        let gate = DispatchSemaphore(value: 0)
        let held = Task { try await writer.write { _ in gate.wait() } }
        try await Task.sleep(for: .milliseconds(50))
        let results = await withTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
            for n in 1...count {
                group.addTask {
                    do {
                        let value = try await writer.write { db -> Int in
                            try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n])
                            if n % failEvery == 0 { throw Refused(n: n) }
                            return n * 10
                        }
                        return (n, .success(value))
                    } catch let error as Refused {
                        return (n, .failure(error))
                    } catch {
                        Issue.record("unexpected \(error)")
                        return (n, .failure(Refused(n: -1)))
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(300))
            gate.signal()
            var all: [Int: Result<Int, Refused>] = [:]
            for await (n, result) in group { all[n] = result }
            return all
        }
        try await held.value
        return results
    }

    @Test func aFailingWriteIsRolledBackAloneAndTheOthersAreKept() async throws {
        let (queue, _, writer) = try makeDatabase()
        let results = try await writeTogether(writer, count: 40, failEvery: 4)
        let stored = Set(try await queue.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t") })
        for n in 1...40 {
            if n % 4 == 0 {
                #expect(results[n] == .failure(Refused(n: n)))
                #expect(!stored.contains(n), "the refused write \(n) left its row")
            } else {
                #expect(results[n] == .success(n * 10))
                #expect(stored.contains(n), "the acknowledged write \(n) is missing")
            }
        }
        #expect(stored.count == 30)
    }

    @Test func writesThatArriveTogetherShareOneCommit() async throws {
        let (_, counter, writer) = try makeDatabase()
        let before = counter.count
        _ = try await writeTogether(writer, count: 50, failEvery: 1000)
        let commits = counter.count - before
        // The held write commits alone; the 50 that waited behind it commit together.
        #expect(commits >= 1)
        #expect(commits <= 3, "50 concurrent writes took \(commits) commits")
    }

    @Test func aLoneWriteIsCommittedBeforeItReturns() async throws {
        let (queue, counter, writer) = try makeDatabase()
        let before = counter.count
        let value = try await writer.write { db -> Int in
            try db.execute(sql: "INSERT INTO t (n) VALUES (7)")
            return 7
        }
        #expect(value == 7)
        #expect(counter.count == before + 1)
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT n FROM t") } == 7)
    }

    @Test func aLoneWriteThatFailsLeavesNothing() async throws {
        let (queue, _, writer) = try makeDatabase()
        await #expect(throws: Refused(n: 5)) {
            try await writer.write { db in
                try db.execute(sql: "INSERT INTO t (n) VALUES (5)")
                throw Refused(n: 5)
            }
        }
        try await writer.write { db in try db.execute(sql: "INSERT INTO t (n) VALUES (6)") }
        #expect(try await queue.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t") } == [6])
    }

    @Test func anAbortedTransactionFailsEveryWriteOfTheBatch() async throws {
        let (queue, _, writer) = try makeDatabase()
        let gate = DispatchSemaphore(value: 0)
        let held = Task { try await writer.write { _ in gate.wait() } }
        try await Task.sleep(for: .milliseconds(50))
        let first = Task {
            try await writer.write { db in try db.execute(sql: "INSERT INTO t (n) VALUES (1)") }
        }
        try await Task.sleep(for: .milliseconds(50))
        // Ends the batch's transaction from inside a write, as SQLite does on a full disk or an I/O error.
        let aborting = Task {
            try await writer.write { db in
                try db.execute(sql: "INSERT INTO t (n) VALUES (2)")
                try db.execute(sql: "ROLLBACK")
                throw Refused(n: 2)
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        gate.signal()
        try await held.value
        await #expect(throws: (any Error).self) { try await first.value }
        await #expect(throws: (any Error).self) { try await aborting.value }
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 0)
        // The writer carries on afterwards.
        try await writer.write { db in try db.execute(sql: "INSERT INTO t (n) VALUES (3)") }
        #expect(try await queue.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t") } == [3])
    }

    @Test func concurrentCreatesThroughTheStoreAreAllKept() async throws {
        let store = try SQLiteStore.inMemory()
        let directory = try await store.createDirectory(name: "Okta", provider: .okta, tokenHash: BearerToken.hash("t"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<60 {
                group.addTask {
                    // Every third one repeats a userName and must get its own uniqueness error, no one else's.
                    let name = n % 3 == 2 ? "user\(n - 1)@example.com" : "user\(n)@example.com"
                    let body = try JSONParser().parse(#"{"userName":"\#(name)"}"#)
                    do {
                        _ = try await store.create(.user, directoryID: directory.id, input: try ResourceNormalizer.normalize(body, schema: .user))
                    } catch let error as SCIMError {
                        #expect(error.scimType == .uniqueness)
                    }
                }
            }
            try await group.waitForAll()
        }
        let page = try await store.list(.user, directoryID: directory.id, query: ListQuery(count: 100), includeDerived: false)
        #expect(page.totalResults == 40)
    }
}
