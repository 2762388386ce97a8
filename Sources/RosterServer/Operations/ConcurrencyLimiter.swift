import Foundation

/// Counts the requests in flight per key (a directory) and refuses one more than `limit` at once. A well-behaved
/// client, sequential like Okta's import or scim2-tester, or a handful of parallel connections like Entra's sync,
/// never reaches it however fast it goes; a flood of parallel requests does, and gets 429 for the excess while the
/// requests already admitted finish. Keys with nothing in flight are forgotten, so memory follows concurrency.
public final class ConcurrencyLimiter: @unchecked Sendable {
    /// The most requests one key may have in flight.
    public let limit: Int
    /// Guards `inFlight`: held for a dictionary update only.
    private let lock = NSLock()
    private var inFlight: [String: Int] = [:]

    /// Makes a limiter admitting `limit` requests per key at once (at least one).
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Admits a request for `key` and returns true, or returns false when `key` already has `limit` in flight. Every
    /// true must be matched by one ``leave(_:)``.
    public func enter(_ key: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let current = inFlight[key, default: 0]
        guard current < limit else { return false }
        inFlight[key] = current + 1
        return true
    }

    /// Ends a request admitted by ``enter(_:)``.
    public func leave(_ key: String) {
        lock.lock()
        defer { lock.unlock() }
        let remaining = inFlight[key, default: 1] - 1
        inFlight[key] = remaining > 0 ? remaining : nil
    }

    /// How many requests `key` has in flight.
    public func count(_ key: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return inFlight[key, default: 0]
    }
}
