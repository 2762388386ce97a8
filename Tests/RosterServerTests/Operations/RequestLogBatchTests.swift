import RosterCore
import RosterServer
import RosterTestSupport
import Testing

/// The request log's batches: recorded in memory, written by `flush()`, kept for the next flush when a write fails,
/// never more than the log's capacity.
@Suite struct RequestLogBatchTests {
    /// A store whose next `failures` appends fail; it keeps what it was given.
    actor FlakyStore: RequestLogStore {
        var failures: Int
        var appended: [[RequestLogEntry]] = []

        init(failures: Int) { self.failures = failures }

        func appendRequestLog(_ entries: [RequestLogEntry], keepNewest: Int) async throws {
            if failures > 0 {
                failures -= 1
                throw StoreUnavailable(reason: "down")
            }
            appended.append(entries)
        }

        func requestLog(directoryID: String, limit: Int) async throws -> [RequestLogEntry] {
            Array(appended.joined().filter { $0.directoryID == directoryID }.reversed().prefix(limit))
        }
    }

    static func entry(_ index: Int) -> RequestLogEntry {
        RequestLogEntry(at: Int64(index), directoryID: "d", method: "GET", path: "/Users", status: 200, durationMilliseconds: 1, detail: nil)
    }

    @Test func aFailedWriteIsTriedAgainWithTheNewerRequestsAfterIt() async throws {
        let store = FlakyStore(failures: 1)
        let log = RequestLog(store: store, capacity: 10)
        log.record(Self.entry(1))
        log.record(Self.entry(2))
        await #expect(throws: StoreUnavailable.self) { try await log.flush() }
        log.record(Self.entry(3))
        try await log.flush()
        #expect(await store.appended == [[Self.entry(1), Self.entry(2), Self.entry(3)]])
        try await log.flush()
        #expect(await store.appended.count == 1, "nothing new: no write")
    }

    @Test func theBatchNeverHoldsMoreThanTheCapacity() async throws {
        let store = FlakyStore(failures: 1)
        let log = RequestLog(store: store, capacity: 3)
        for index in 1...5 { log.record(Self.entry(index)) }
        await #expect(throws: StoreUnavailable.self) { try await log.flush() }
        log.record(Self.entry(6))
        #expect(try await log.entries(directoryID: "d", limit: 10) == [6, 5, 4].map(Self.entry), "the newest three, newest first")
    }

    @Test func aFullBatchKeepsTheNewestInOrder() async throws {
        let store = FlakyStore(failures: 0)
        let log = RequestLog(store: store, capacity: 3)
        for index in 1...7 { log.record(Self.entry(index)) }
        try await log.flush()
        log.record(Self.entry(8))
        try await log.flush()
        #expect(await store.appended == [[5, 6, 7].map(Self.entry), [Self.entry(8)]], "oldest first, the newest three, then a fresh batch")
    }
}
