import NIOConcurrencyHelpers

/// The token hashes this process read in the last second, by directory, so that a burst of SCIM requests (an IdP
/// pushes one after another) costs PostgreSQL one token lookup a second per directory instead of one per request.
///
/// What it trades: a token replaced or a directory deleted by this process is forgotten at once, but another
/// replica on the same database may accept the old token for up to ``lifetime`` more (it still reaches only its
/// own directory). Unknown directories are never remembered, so guessing ids cannot fill it, and it holds at most
/// ``capacity`` entries. The hash is compared by the caller in constant time, as for a fresh read.
final class PostgresTokenHashCache: Sendable {
    /// How long a read hash is used.
    static let lifetime = Duration.seconds(1)
    /// The most directories remembered; past it the cache starts over.
    static let capacity = 10_000

    private struct State {
        var entries: [String: (hash: [UInt8], readAt: ContinuousClock.Instant)] = [:]
        var generation = 0
    }

    private let state = NIOLockedValueBox(State())

    /// Makes an empty cache.
    init() {}

    /// The generation to pass to ``remember(_:for:readAt:generation:)`` for a read that starts now.
    var generation: Int { state.withLockedValue { $0.generation } }

    /// The hash read for `directoryID` within ``lifetime``, if any.
    func hash(for directoryID: String, now: ContinuousClock.Instant = .now) -> [UInt8]? {
        state.withLockedValue { state in
            guard let entry = state.entries[directoryID], entry.readAt.duration(to: now) < Self.lifetime else { return nil }
            return entry.hash
        }
    }

    /// Remembers a hash read at `readAt`, unless something was forgotten since the read began (`generation`): a
    /// read racing a token change must not bring the old token back.
    func remember(_ hash: [UInt8], for directoryID: String, readAt: ContinuousClock.Instant, generation: Int) {
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            if state.entries.count >= Self.capacity { state.entries.removeAll() }
            state.entries[directoryID] = (hash, readAt)
        }
    }

    /// Forgets a directory's hash (its token changed, or it is gone).
    func forget(_ directoryID: String) {
        state.withLockedValue { state in
            state.generation += 1
            state.entries[directoryID] = nil
        }
    }
}
