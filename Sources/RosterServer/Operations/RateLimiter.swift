import Foundation
import RosterCore

/// Token buckets by key (a directory, a client address), at most `maximumKeys` of them: full buckets are dropped
/// first, so memory stays bounded however many keys a client invents.
public final class RateLimiter: @unchecked Sendable {
    /// The burst.
    public let capacity: Double
    /// The sustained rate.
    public let ratePerSecond: Double
    private let maximumKeys: Int
    /// Guards `buckets`: held for a dictionary update, cheaper than an actor hop on every request.
    private let lock = NSLock()
    private var buckets: [String: TokenBucket] = [:]
    private let start = ContinuousClock.now

    /// Makes a limiter allowing `ratePerSecond` per key with bursts of `capacity`.
    public init(capacity: Double, ratePerSecond: Double, maximumKeys: Int = 10_000) {
        self.capacity = capacity
        self.ratePerSecond = ratePerSecond
        self.maximumKeys = max(1, maximumKeys)
    }

    /// Takes a token for `key`; nil when allowed, else the seconds to wait.
    public func take(_ key: String) -> Double? {
        let now = seconds()
        lock.lock()
        defer { lock.unlock() }
        var bucket = buckets[key] ?? TokenBucket(capacity: capacity, ratePerSecond: ratePerSecond, now: now)
        let wait = bucket.take(now: now)
        store(bucket, for: key, now: now)
        return wait
    }

    /// Whether `key` has a token left, without taking one.
    public func allows(_ key: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard var bucket = buckets[key] else { return true }
        return bucket.wouldAllow(now: seconds())
    }

    private func store(_ bucket: TokenBucket, for key: String, now: Double) {
        buckets[key] = bucket
        guard buckets.count > maximumKeys else { return }
        for (candidate, var other) in buckets where other.isFull(now: now) { buckets[candidate] = nil }
        while buckets.count > maximumKeys, let victim = buckets.keys.first(where: { $0 != key }) { buckets[victim] = nil }
    }

    private func seconds() -> Double {
        let elapsed = ContinuousClock.now - start
        return elapsed.fractionalSeconds
    }
}
