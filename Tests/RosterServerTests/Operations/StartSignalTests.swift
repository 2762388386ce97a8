import RosterServer
import RosterTestSupport
import Testing

/// The signal the webhook worker waits for before it reads the store.
@Suite struct StartSignalTests {
    @Test func waitingEndsWhenTheSignalIsGivenNotBefore() async throws {
        let signal = StartSignal()
        let waiter = Task {
            await signal.wait()
            return ContinuousClock.now
        }
        try await Task.sleep(for: .milliseconds(100))
        let given = ContinuousClock.now
        signal.give()
        #expect(await waiter.value >= given, "the waiter returned only after the signal")
        signal.give()
        await signal.wait()  // a given signal does not block
    }

    @Test func waitingEndsWhenTheWaiterIsCancelled() async throws {
        let signal = StartSignal()
        let waiter = Task { await signal.wait() }
        waiter.cancel()
        await waiter.value
        #expect(waiter.isCancelled)
    }
}
