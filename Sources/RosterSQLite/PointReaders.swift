import Foundation
import GRDB

/// Read-only connections that run SCIM reads on the calling thread.
///
/// GRDB's async reads hop three times (to wait for a pooled connection, to its queue, and back to the caller),
/// which costs more than a token or id lookup itself. A SCIM read is CPU work on pages SQLite has cached (an
/// indexed lookup, or one list page), so running it on the calling thread costs no more than handing it to
/// another thread on the same two cores, without the hops. These connections must not be GRDB's reader pool: an
/// async read holds a pooled connection until the cooperative thread pool resumes it, so callers blocked on that
/// pool could starve the very threads that would free it. These are used only synchronously and held only while a
/// read runs, so a caller waits at most for reads already running; there are as many as there are cores, the
/// number of cooperative threads that can ask at once. An in-memory store reads through its single queue instead.
final class PointReaders: @unchecked Sendable {
    private let connections: [any DatabaseReader]
    private let lock = NSLock()
    /// Which connections a read is using now.
    private var busy: [Bool]
    private var next = 0

    /// Opens `count` read-only connections to the SQLite file at `path`.
    init(path: String, count: Int, configuration: Configuration) throws {
        var readOnly = configuration
        readOnly.readonly = true
        connections = try (0..<max(1, count)).map { _ in try DatabaseQueue(path: path, configuration: readOnly) }
        busy = Array(repeating: false, count: connections.count)
    }

    /// Reads through `reader` itself (for an in-memory queue, whose synchronous reads are already on its queue).
    init(reader: any DatabaseReader) {
        connections = [reader]
        busy = [false]
    }

    /// Runs `value` in a read transaction on an idle connection (or, when every one is in use, the next in
    /// turn), on the calling thread.
    func read<T>(_ value: (Database) throws -> T) throws -> T {
        try withConnection { connection in
            // One snapshot for the whole read (a page's count, rows and groups agree), begun and ended with prepared
            // statements: GRDB's own read transaction compiles BEGIN and COMMIT on every call.
            try connection.unsafeRead { db in
                try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
                do {
                    let result = try value(db)
                    try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                    return result
                } catch {
                    try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute()
                    throw error
                }
            }
        }
    }

    /// Runs `value`, which must run exactly one statement (a statement is its own snapshot), on an idle connection
    /// without an explicit transaction, on the calling thread.
    func readOneStatement<T>(_ value: (Database) throws -> T) throws -> T {
        try withConnection { connection in try connection.unsafeRead(value) }
    }

    /// Runs `body` with an idle connection (or, when every one is in use, the next in turn).
    private func withConnection<T>(_ body: (any DatabaseReader) throws -> T) throws -> T {
        lock.lock()
        let chosen = busy.firstIndex(of: false) ?? next
        next = (chosen + 1) % connections.count
        busy[chosen] = true
        lock.unlock()
        defer {
            lock.lock()
            busy[chosen] = false
            lock.unlock()
        }
        return try body(connections[chosen])
    }
}
