import Foundation
import GRDB

/// Commits many requests' writes together without weakening durability (group commit).
///
/// Every write waits in a queue; the database's writer takes all waiting writes at once and runs them in one
/// transaction, each inside its own savepoint, then commits once. With `synchronous = FULL` that one commit is one
/// fsync for the whole batch, so the cost of durability is shared instead of paid per request.
///
/// - A write that throws is rolled back to its savepoint and answered with its error at once; the others in the
///   batch are untouched.
/// - A write is answered with success only after the batch's `COMMIT` has returned, so a 2xx built on it means the
///   change is on disk.
/// - If the commit fails, or SQLite aborts the whole transaction in the middle (a full disk, an I/O error), every
///   write of the batch that had not failed on its own gets that error: nothing is acknowledged that was not kept.
///
/// While one batch commits, new writes queue up and become the next batch, so a lone client pays one commit per
/// write (as before) and many concurrent clients share commits.
final class GroupCommitWriter: @unchecked Sendable {
    /// One queued write: `run` applies it inside its savepoint and returns what answers it once committed; `fail`
    /// answers it with an error.
    private struct PendingWrite {
        let run: (Database) throws -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    /// The largest batch; a bound on how long one transaction holds the write lock.
    let maximumBatchSize: Int
    private let writer: any DatabaseWriter
    private let lock = NSLock()
    private var pending: [PendingWrite] = []
    private var draining = false

    /// Batches writes to `writer`.
    init(writer: any DatabaseWriter, maximumBatchSize: Int = 256) {
        self.writer = writer
        self.maximumBatchSize = max(1, maximumBatchSize)
    }

    /// Runs `work` in the next batch and returns its result once the batch is committed. `work` runs inside a
    /// savepoint on the writer's connection; it must not start or end transactions itself.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let write = PendingWrite(
                run: { db in
                    let value = try work(db)
                    return { continuation.resume(returning: value) }
                },
                fail: { error in continuation.resume(throwing: error) }
            )
            if enqueue(write) {
                writer.asyncWriteWithoutTransaction { [self] db in drain(db) }
            }
        }
    }

    /// Queues a write; true when no drain is running, so the caller must start one.
    private func enqueue(_ write: PendingWrite) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        pending.append(write)
        if draining { return false }
        draining = true
        return true
    }

    /// The next batch, or nil (and the drain ends) when nothing waits.
    private func nextBatch() -> [PendingWrite]? {
        lock.lock()
        defer { lock.unlock() }
        if pending.isEmpty {
            draining = false
            return nil
        }
        let batch = Array(pending.prefix(maximumBatchSize))
        pending.removeFirst(batch.count)
        return batch
    }

    /// Commits batches on the writer's connection until the queue is empty.
    private func drain(_ db: Database) {
        while let batch = nextBatch() {
            commit(batch, db)
        }
    }

    /// Runs one batch in one transaction, a savepoint per write, and answers every write. A write alone in its
    /// batch needs no savepoint: if it fails, the transaction is rolled back instead of committed.
    private func commit(_ batch: [PendingWrite], _ db: Database) {
        var answers: [@Sendable () -> Void] = []
        var waiting: [PendingWrite] = []
        do {
            try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        } catch {
            for write in batch { write.fail(error) }
            return
        }
        let alone = batch.count == 1
        var aborted: (any Error)?
        for write in batch {
            if let aborted {
                write.fail(aborted)
                continue
            }
            do {
                var answer: (@Sendable () -> Void)?
                if alone {
                    answer = try write.run(db)
                } else {
                    try db.inSavepoint {
                        answer = try write.run(db)
                        return .commit
                    }
                }
                if let answer {
                    answers.append(answer)
                    waiting.append(write)
                }
            } catch {
                if !db.isInsideTransaction {
                    // SQLite rolled the whole transaction back: the earlier writes are gone as well.
                    aborted = error
                }
                write.fail(error)
            }
        }
        if let aborted {
            for write in waiting { write.fail(aborted) }
            return
        }
        guard !waiting.isEmpty else {
            // Every write failed (a lone one without a savepoint may have left changes): keep nothing.
            if db.isInsideTransaction { try? db.rollback() }
            return
        }
        do {
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
        } catch {
            if db.isInsideTransaction { try? db.rollback() }
            for write in waiting { write.fail(error) }
            return
        }
        for answer in answers { answer() }
    }
}
