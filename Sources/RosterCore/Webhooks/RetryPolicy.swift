/// When a failed webhook delivery is tried again: exponential backoff with jitter, capped, until the retry window
/// since the first attempt has passed, then dead-letter. A value type with no clock or randomness of its own, so it
/// is tested without sockets.
public struct RetryPolicy: Sendable, Hashable {
    /// The delay after the first failure, in milliseconds.
    public var initialDelay: Int64
    /// The longest delay between attempts, in milliseconds.
    public var maximumDelay: Int64
    /// How long after the first attempt retries go on, in milliseconds.
    public var window: Int64
    /// The share of each delay that is random, from 0 to 1 (0.2: the delay is 80–100 % of the nominal one).
    public var jitter: Double

    /// Makes a policy. The default: 10 s, doubling to at most 1 hour, for 3 days, 20 % jitter.
    public init(initialDelay: Int64 = 10_000, maximumDelay: Int64 = 3_600_000, window: Int64 = 3 * 86_400_000, jitter: Double = 0.2) {
        self.initialDelay = max(1, initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
        self.window = max(0, window)
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The nominal delay after the `failures`-th failure (1-based), before jitter.
    public func nominalDelay(afterFailure failures: Int) -> Int64 {
        var delay = initialDelay
        var step = 1
        while step < failures, delay < maximumDelay {
            delay = delay > maximumDelay / 2 ? maximumDelay : delay * 2
            step += 1
        }
        return min(delay, maximumDelay)
    }

    /// When to try again after the `failures`-th failure at `now`, given the first attempt's time; nil when the
    /// window has passed (dead-letter). `random` is a number in 0..<1.
    public func nextAttempt(afterFailure failures: Int, firstAttemptAt: Int64, now: Int64, random: Double) -> Int64? {
        let nominal = nominalDelay(afterFailure: failures)
        let reduction = Int64(Double(nominal) * jitter * min(max(random, 0), 1))
        let next = now + max(1, nominal - reduction)
        return next - firstAttemptAt > window ? nil : next
    }
}
