import RosterCore
import RosterTestSupport
import Testing

/// The retry schedule as a value: backoff, cap, jitter, and the window after which a delivery is dead-lettered.
@Suite struct RetryPolicyTests {
    @Test func delaysDoubleUpToTheCap() {
        let policy = RetryPolicy(initialDelay: 1_000, maximumDelay: 10_000, window: 1_000_000, jitter: 0)
        #expect((1...6).map { policy.nominalDelay(afterFailure: $0) } == [1_000, 2_000, 4_000, 8_000, 10_000, 10_000])
        #expect(policy.nominalDelay(afterFailure: 10_000) == 10_000, "no overflow however many failures")
    }

    @Test func jitterOnlyShortensTheDelayByItsShare() {
        let policy = RetryPolicy(initialDelay: 10_000, maximumDelay: 10_000, window: 1_000_000, jitter: 0.2)
        #expect(policy.nextAttempt(afterFailure: 1, firstAttemptAt: 0, now: 0, random: 0) == 10_000)
        #expect(policy.nextAttempt(afterFailure: 1, firstAttemptAt: 0, now: 0, random: 0.5) == 9_000)
        #expect(policy.nextAttempt(afterFailure: 1, firstAttemptAt: 0, now: 0, random: 0.9999) == 8_001)
    }

    @Test func aDeliveryIsDeadLetteredOnceTheNextTryWouldFallOutsideTheWindow() {
        let policy = RetryPolicy(initialDelay: 1_000, maximumDelay: 1_000, window: 5_000, jitter: 0)
        #expect(policy.nextAttempt(afterFailure: 4, firstAttemptAt: 0, now: 4_000, random: 0) == 5_000, "exactly at the edge")
        #expect(policy.nextAttempt(afterFailure: 5, firstAttemptAt: 0, now: 5_000, random: 0) == nil)
    }

    @Test func theDefaultRetriesForThreeDays() {
        let policy = RetryPolicy()
        #expect(policy.window == 3 * 86_400_000)
        var now: Int64 = 0
        var failures = 0
        while let next = policy.nextAttempt(afterFailure: failures + 1, firstAttemptAt: 0, now: now, random: 0) {
            now = next
            failures += 1
        }
        #expect(now <= policy.window && now > policy.window - policy.maximumDelay)
        #expect(failures > 70 && failures < 90, "\(failures) attempts over three days at up to an hour apart")
    }
}
