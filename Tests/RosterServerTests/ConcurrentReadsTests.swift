import Foundation
import RosterCore
import RosterTestSupport
import SCIM
import Testing

@testable import RosterSQLite

/// A file-backed store under many concurrent requests: reads on the calling thread (``PointReaders``), GRDB's async
/// reads and group-committed writes all at once must all finish. Blocking reads that shared GRDB's reader pool with
/// async reads deadlocked exactly this way.
@Suite("Concurrent reads and writes on a SQLite file")
struct ConcurrentReadsTests {
    @Test func synchronousAndAsyncReadsAndWritesAllFinish() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-concurrent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("roster.sqlite").path)
        let directory = try await store.createDirectory(name: "Okta", provider: .okta, tokenHash: BearerToken.hash("t"))
        var ids: [String] = []
        for n in 0..<20 {
            let body = try JSONParser().parse(#"{"userName":"seed\#(n)@example.com"}"#)
            ids.append(try await store.create(.user, directoryID: directory.id, input: try ResourceNormalizer.normalize(body, schema: .user)).id)
        }
        let seeded = ids
        // A deadlock blocks every cooperative thread, so the watchdog is a thread of its own: it ends the test
        // process with a message instead of letting the test command hang.
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            if done.wait(timeout: .now() + 60) == .timedOut {
                fatalError("400 concurrent reads and writes did not finish in 60 s: the store deadlocked")
            }
        }
        defer { done.signal() }
        let finished = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<400 {
                group.addTask {
                    switch n % 5 {
                    case 0:
                        _ = try await store.resource(.user, directoryID: directory.id, id: seeded[n % seeded.count], includeDerived: true)
                    case 1:
                        _ = try await store.list(.user, directoryID: directory.id, query: ListQuery(count: 10), includeDerived: true)
                    case 2:
                        _ = try await store.directories()
                    case 3:
                        _ = try await store.tokenHash(directoryID: directory.id)
                    default:
                        let body = try JSONParser().parse(#"{"userName":"new\#(n)@example.com"}"#)
                        _ = try await store.create(.user, directoryID: directory.id, input: try ResourceNormalizer.normalize(body, schema: .user))
                    }
                    return 1
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(finished == 400)
        let page = try await store.list(.user, directoryID: directory.id, query: ListQuery(count: 1), includeDerived: false)
        #expect(page.totalResults == 100)
    }
}
