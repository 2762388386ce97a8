import RosterCore
import RosterTestSupport
import Testing

/// The token bucket behind the rate limits, as a value.
@Suite struct TokenBucketTests {
    @Test func aFullBucketAllowsItsBurstThenSaysHowLongToWait() {
        var bucket = TokenBucket(capacity: 3, ratePerSecond: 2, now: 0)
        let waits = [
            bucket.take(now: 0), bucket.take(now: 0), bucket.take(now: 0), bucket.take(now: 0), bucket.take(now: 0.25), bucket.take(now: 0.5),
        ]
        #expect(waits == [nil, nil, nil, 0.5, 0.25, nil], "a burst of 3, then one token every half second")
    }

    @Test func refillStopsAtTheCapacity() {
        var bucket = TokenBucket(capacity: 2, ratePerSecond: 10, now: 0)
        _ = bucket.take(now: 0)
        _ = bucket.take(now: 0)
        let full = bucket.isFull(now: 1_000)
        #expect(full)
        let waits = [bucket.take(now: 1_000), bucket.take(now: 1_000), bucket.take(now: 1_000)]
        #expect(waits[0] == nil && waits[1] == nil && waits[2] != nil, "a long pause does not bank more than the burst")
    }
}
