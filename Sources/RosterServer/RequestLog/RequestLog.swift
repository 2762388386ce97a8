import Foundation

/// The recent SCIM requests of every directory, in memory, so that an admin can see why an IdP's test call failed.
/// Retention is bounded: the newest ``capacity`` requests of all directories together are kept, and the log starts
/// empty when Roster starts. Nothing secret is ever put in it (see ``SCIMRequestLogMiddleware``).
public final class RequestLog: @unchecked Sendable {
    /// One SCIM request and how it was answered.
    public struct Entry: Sendable, Hashable {
        /// When it arrived, in milliseconds since 1970.
        public var at: Int64
        /// The directory named in its path.
        public var directoryID: String
        /// The HTTP method.
        public var method: String
        /// The path and query, with secret query values redacted.
        public var path: String
        /// The response status.
        public var status: Int
        /// How long the answer took, in milliseconds.
        public var durationMilliseconds: Double
        /// The SCIM error detail of an error answer.
        public var detail: String?

        /// Makes an entry.
        public init(at: Int64, directoryID: String, method: String, path: String, status: Int, durationMilliseconds: Double, detail: String?) {
            self.at = at
            self.directoryID = directoryID
            self.method = method
            self.path = path
            self.status = status
            self.durationMilliseconds = durationMilliseconds
            self.detail = detail
        }
    }

    /// How many requests are kept.
    public let capacity: Int
    /// Guards `ring` and `nextSlot`: a lock held for a few instructions, not an actor hop on every request.
    private let lock = NSLock()
    private var ring: [Entry] = []
    private var nextSlot = 0

    /// Makes an empty log keeping the newest `capacity` requests.
    public init(capacity: Int = 2000) {
        self.capacity = max(1, capacity)
    }

    /// Records a request, dropping the oldest when full.
    public func record(_ entry: Entry) {
        lock.lock()
        defer { lock.unlock() }
        if ring.count < capacity {
            ring.append(entry)
        } else {
            ring[nextSlot] = entry
        }
        nextSlot = (nextSlot + 1) % capacity
    }

    /// A directory's requests, newest first, at most `limit`.
    public func entries(directoryID: String, limit: Int) -> [Entry] {
        lock.lock()
        defer { lock.unlock() }
        var result: [Entry] = []
        for entry in newestFirst where entry.directoryID == directoryID {
            result.append(entry)
            if result.count == limit { break }
        }
        return result
    }

    /// A directory's most recent request.
    public func lastEntry(directoryID: String) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        return newestFirst.first { $0.directoryID == directoryID }
    }

    /// The entries from newest to oldest; read with the lock held.
    private var newestFirst: some Sequence<Entry> {
        let count = ring.count
        let newest = (nextSlot - 1 + count) % max(count, 1)
        return (0..<count).lazy.map { self.ring[(newest - $0 + count) % count] }
    }
}
