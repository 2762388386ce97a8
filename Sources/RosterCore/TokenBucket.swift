/// A token bucket: up to `capacity` requests at once, refilled at `ratePerSecond`. A value with no clock of its own,
/// so it is tested without sleeping.
public struct TokenBucket: Sendable, Hashable {
    /// The most tokens it holds (the burst).
    public let capacity: Double
    /// Tokens added per second.
    public let ratePerSecond: Double
    /// Tokens now.
    public private(set) var tokens: Double
    /// When `tokens` was last brought up to date, in seconds on any monotonic clock.
    public private(set) var updatedAt: Double

    /// A full bucket at time `now`.
    public init(capacity: Double, ratePerSecond: Double, now: Double) {
        self.capacity = max(1, capacity)
        self.ratePerSecond = max(0.000_001, ratePerSecond)
        self.tokens = self.capacity
        self.updatedAt = now
    }

    /// Takes one token at `now`; nil when it was there, else how many seconds until one will be.
    public mutating func take(now: Double) -> Double? {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return (1 - tokens) / ratePerSecond
    }

    /// Whether a token is there at `now`, without taking it.
    public mutating func wouldAllow(now: Double) -> Bool {
        refill(now: now)
        return tokens >= 1
    }

    /// Whether it is full at `now` (a full bucket can be forgotten).
    public mutating func isFull(now: Double) -> Bool {
        refill(now: now)
        return tokens >= capacity
    }

    private mutating func refill(now: Double) {
        if now > updatedAt {
            tokens = min(capacity, tokens + (now - updatedAt) * ratePerSecond)
            updatedAt = now
        }
    }
}
