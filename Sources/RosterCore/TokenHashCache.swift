import Foundation

/// The token hashes this process read in the last second, by directory, so that a burst of SCIM requests (an IdP
/// pushes one after another) costs the store one token lookup a second per directory instead of one per request
/// (on SQLite that lookup was a tenth of a GET by id's time, on PostgreSQL a round trip).
///
/// What it trades: a token replaced or a directory deleted by this process is forgotten at once, but another
/// process on the same database (another replica, or `roster directory rotate-token` beside a server on SQLite) may
/// see the old token accepted for up to ``lifetime`` more (it still reaches only its own directory). Unknown directories are never remembered, so guessing ids cannot fill it, and it holds at most
/// ``capacity`` entries. The hash is compared by the caller in constant time, as for a fresh read.
public final class TokenHashCache: @unchecked Sendable {
    /// How long a read hash is used.
    public static let lifetime = Duration.seconds(1)
    /// The most directories remembered; past it the cache starts over.
    public static let capacity = 10_000

    private struct State {
        var entries: [String: (hash: [UInt8], readAt: ContinuousClock.Instant)] = [:]
        var generation = 0
    }

    private let lock = NSLock()
    private var state = State()

    /// Makes an empty cache.
    public init() {}

    /// The generation to pass to ``remember(_:for:readAt:generation:)`` for a read that starts now.
    public var generation: Int { lock.withLock { state.generation } }

    /// The hash read for `directoryID` within ``lifetime``, if any.
    public func hash(for directoryID: String, now: ContinuousClock.Instant = .now) -> [UInt8]? {
        lock.withLock {
            guard let entry = self.state.entries[directoryID], entry.readAt.duration(to: now) < Self.lifetime else { return nil }
            return entry.hash
        }
    }

    /// Remembers a hash read at `readAt`, unless something was forgotten since the read began (`generation`): a
    /// read racing a token change must not bring the old token back.
    public func remember(_ hash: [UInt8], for directoryID: String, readAt: ContinuousClock.Instant, generation: Int) {
        lock.withLock {
            guard self.state.generation == generation else { return }
            if self.state.entries.count >= Self.capacity { self.state.entries.removeAll() }
            self.state.entries[directoryID] = (hash, readAt)
        }
    }

    /// Forgets a directory's hash (its token changed, or it is gone).
    public func forget(_ directoryID: String) {
        lock.withLock {
            self.state.generation += 1
            self.state.entries[directoryID] = nil
        }
    }

    /// The hash of `directoryID`: the one read within ``lifetime``, else what `read` finds (nil for an unknown or
    /// disabled directory), remembered unless something was forgotten while it read.
    public func hash(for directoryID: String, read: () async throws -> [UInt8]?) async rethrows -> [UInt8]? {
        if let cached = self.hash(for: directoryID) { return cached }
        let generation = self.generation
        let readAt = ContinuousClock.now
        let fresh = try await read()
        if let fresh { remember(fresh, for: directoryID, readAt: readAt, generation: generation) }
        return fresh
    }

    /// Runs `change` (a token rotation, a directory's deletion) with `directoryID`'s hash forgotten before it (no
    /// read in flight may remember the old hash) and after it (nor one that read before the change committed).
    public func forgetting<Value>(_ directoryID: String, during change: () async throws -> Value) async rethrows -> Value {
        forget(directoryID)
        defer { forget(directoryID) }
        return try await change()
    }
}
