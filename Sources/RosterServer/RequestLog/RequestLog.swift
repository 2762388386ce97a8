import Foundation
import Logging
import RosterCore
import ServiceLifecycle

/// The recent SCIM requests of every directory, so that an admin can see why an IdP's test call failed, whichever
/// replica answered it. Requests are recorded in memory and written to the store in batches (``flush()``, every
/// second by ``RequestLogFlusher``, never a commit per request); the store keeps the newest ``capacity`` requests of
/// all directories together. Reading a directory's requests flushes this process's batch first, so a page always
/// shows the requests this replica answered. Nothing secret is ever put in it (see ``SCIMRequestMiddleware``).
public final class RequestLog: Sendable {
    /// One logged request.
    public typealias Entry = RequestLogEntry

    /// How many requests are kept.
    public let capacity: Int
    /// Where batches are written.
    private let store: any RequestLogStore
    /// Requests not yet written, oldest first, at most ``capacity`` (older ones would be dropped by the store anyway).
    private let batch = RequestLogBatch()

    /// A log writing to `store`, keeping the newest `capacity` requests.
    public init(store: any RequestLogStore, capacity: Int = 2000) {
        self.store = store
        self.capacity = max(1, capacity)
    }

    /// Records a request for the next batch: a lock held for an append, never a database write.
    public func record(_ entry: Entry) {
        batch.append(entry, keepingAtMost: capacity)
    }

    /// Writes the requests recorded since the last flush. On failure they are put back (still at most
    /// ``capacity``) for the next flush.
    public func flush() async throws {
        let entries = batch.takeAll()
        guard !entries.isEmpty else { return }
        do {
            try await store.appendRequestLog(entries, keepNewest: capacity)
        } catch {
            batch.putBack(entries, keepingAtMost: capacity)
            throw error
        }
    }

    /// A directory's requests, newest first, at most `limit`, from every replica.
    public func entries(directoryID: String, limit: Int) async throws -> [Entry] {
        try await flush()
        return try await store.requestLog(directoryID: directoryID, limit: limit)
    }

    /// A directory's most recent request.
    public func lastEntry(directoryID: String) async throws -> Entry? {
        try await entries(directoryID: directoryID, limit: 1).first
    }
}

/// The requests recorded since the last flush, behind a lock held for a few instructions (an actor hop on every
/// SCIM request would cost more). A ring: when it holds its limit, a new request replaces the oldest in place, so
/// a busy second costs no more per request than a quiet one.
final class RequestLogBatch: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [RequestLogEntry] = []
    /// Where the oldest entry is, once the ring is full.
    private var oldest = 0

    /// Appends `entry`, replacing the oldest when `limit` are held.
    func append(_ entry: RequestLogEntry, keepingAtMost limit: Int) {
        lock.withLock {
            if slots.count < limit {
                slots.append(entry)
            } else {
                slots[oldest] = entry
                oldest = (oldest + 1) % slots.count
            }
        }
    }

    /// Takes every entry, oldest first, leaving the batch empty.
    func takeAll() -> [RequestLogEntry] {
        lock.withLock {
            defer {
                slots = []
                oldest = 0
            }
            return oldest == 0 ? slots : Array(slots[oldest...] + slots[..<oldest])
        }
    }

    /// Puts entries whose write failed back before the newer ones, dropping the oldest beyond `limit`.
    func putBack(_ failed: [RequestLogEntry], keepingAtMost limit: Int) {
        lock.withLock {
            let newer = oldest == 0 ? slots : Array(slots[oldest...] + slots[..<oldest])
            slots = Array((failed + newer).suffix(limit))
            oldest = 0
        }
    }
}

/// Writes the request log's batch every ``interval`` until graceful shutdown, then once more.
public struct RequestLogFlusher: Service {
    /// The log to flush.
    let log: RequestLog
    /// How often.
    let interval: Duration
    /// Where failed writes are reported (the batch is kept for the next try).
    let logger: Logger

    /// A flusher of `log` every `interval`.
    public init(log: RequestLog, interval: Duration = .seconds(1), logger: Logger) {
        self.log = log
        self.interval = interval
        self.logger = logger
    }

    /// Flushes every interval; on graceful shutdown, flushes what is left and returns. A store that cannot be written
    /// is reported once, and again when writing works again (not every second of an outage).
    public func run() async throws {
        let failing = await cancelWhenGracefulShutdown { () async -> Bool in
            var failing = false
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    break
                }
                failing = await flushOnce(failing: failing)
            }
            return failing
        }
        _ = await flushOnce(failing: failing)
    }

    /// Writes the batch; returns whether it failed.
    private func flushOnce(failing: Bool) async -> Bool {
        do {
            try await log.flush()
            if failing { logger.info("The request log is written again") }
            return false
        } catch {
            if !failing {
                logger.warning(
                    "The request log cannot be written; its newest requests wait in memory",
                    metadata: ["error": "\(String(describing: error))"]
                )
            }
            return true
        }
    }
}
