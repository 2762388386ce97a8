import Foundation
import GRDB

/// Read-only connections that run short indexed reads on the calling thread.
///
/// GRDB's async reads hop three times (to wait for a pooled connection, to its queue, and back to the caller),
/// which costs more than a token or id lookup itself. Blocking the caller for such a read is cheaper, but it must
/// not share GRDB's reader pool: an async read holds a pooled connection until the cooperative thread pool resumes
/// it, so callers blocked on that pool could starve the very threads that would free it. These connections are
/// used only synchronously, and a read holds one only while it runs, so a caller waits at most for other reads
/// that are already running. An in-memory store reads through its single queue instead.
final class PointReaders: @unchecked Sendable {
    private let connections: [any DatabaseReader]
    private let lock = NSLock()
    private var next = 0

    /// Opens `count` read-only connections to the SQLite file at `path`.
    init(path: String, count: Int, configuration: Configuration) throws {
        var readOnly = configuration
        readOnly.readonly = true
        connections = try (0..<max(1, count)).map { _ in try DatabaseQueue(path: path, configuration: readOnly) }
    }

    /// Reads through `reader` itself (for an in-memory queue, whose synchronous reads are already on its queue).
    init(reader: any DatabaseReader) {
        connections = [reader]
    }

    /// Runs `value` in a read-only transaction on one of the connections, on the calling thread.
    func read<T>(_ value: (Database) throws -> T) throws -> T {
        lock.lock()
        let connection = connections[next]
        next = (next + 1) % connections.count
        lock.unlock()
        return try connection.read(value)
    }
}
