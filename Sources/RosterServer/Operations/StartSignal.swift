/// A one-time signal that start-up work is done (the store's migrations), for a service that must not touch the
/// store before: on an empty PostgreSQL database, replicas starting together would otherwise have their webhook
/// workers query tables that do not exist yet. One waiter; waiting ends early when the waiting task is cancelled.
public final class StartSignal: Sendable {
    private let stream: AsyncStream<Never>
    private let continuation: AsyncStream<Never>.Continuation

    /// A signal not yet given.
    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Never.self)
    }

    /// Gives the signal; later calls do nothing.
    public func give() {
        continuation.finish()
    }

    /// Returns once the signal is given (or the task is cancelled).
    public func wait() async {
        for await _ in stream {}
    }
}
