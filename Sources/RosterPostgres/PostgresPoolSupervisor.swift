import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO
import RosterCore
import RosterEventLoops

/// Runs postgres-nio's connection pool and keeps it usable through PostgreSQL outages.
///
/// Two things in the pool do not fit a SCIM server: a lease waits for a connection for up to a minute while the
/// server is down (its circuit breaker trips after 60 s), and after an outage its reconnect back-off grows to a
/// minute, so service could resume long after PostgreSQL is back. So every lease here has a deadline
/// (``leaseTimeout``; past it the caller gets ``StoreUnavailable``, a 503 with `Retry-After`), and while leases
/// fail and none succeed, a monitor probes the server once a second with a fresh connection; when the probe
/// connects but the pool still cannot, the pool is replaced by a new one. Service resumes within about two seconds
/// of PostgreSQL answering again.
final class PostgresPoolSupervisor: Sendable {
    /// How long a caller waits for a connection.
    static let leaseTimeout = Duration.seconds(5)
    /// The loop that times leases.
    private static var timerLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    /// How often the monitor looks while leases fail.
    static let probeInterval = Duration.seconds(1)

    private struct State {
        var client: PostgresClient
        var runs: [Task<Void, Never>] = []
        var lastSuccess: ContinuousClock.Instant?
        var lastFailure: ContinuousClock.Instant?
        var running = false
        var started = false
        var startWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: NIOLockedValueBox<State>
    private let makeClient: @Sendable () -> PostgresClient
    private let probeConfiguration: PostgresConnection.Configuration?
    private let logger: Logger
    private let targetDescription: String

    /// Makes a supervisor whose pools come from `makeClient`; `probeConfiguration` connects the monitor's probes.
    init(
        targetDescription: String,
        probeConfiguration: PostgresConnection.Configuration?,
        logger: Logger,
        makeClient: @escaping @Sendable () -> PostgresClient
    ) {
        self.makeClient = makeClient
        self.state = NIOLockedValueBox(State(client: makeClient()))
        self.probeConfiguration = probeConfiguration
        self.logger = logger
        self.targetDescription = targetDescription
    }

    /// Runs the pool (and any replacement) and the monitor until the calling task is cancelled.
    func run() async {
        state.withLockedValue { state in
            state.running = true
            state.runs.append(Task { [client = state.client] in await client.run() })
        }
        // postgres-nio says nothing once its run() has begun; a few milliseconds later it has.
        try? await Task.sleep(for: .milliseconds(5))
        let waiters = state.withLockedValue { state in
            state.started = true
            defer { state.startWaiters.removeAll() }
            return state.startWaiters
        }
        for waiter in waiters { waiter.resume() }
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.probeInterval)
            if Task.isCancelled { break }
            await replacePoolIfStuck()
        }
        let runs = state.withLockedValue { state in
            state.running = false
            return state.runs
        }
        for run in runs { run.cancel() }
        for run in runs { await run.value }
    }

    /// Runs `body` on a pooled connection, waiting at most ``leaseTimeout`` for one (``PostgresLease`` says how the
    /// caller is answered: by the body, the deadline, the connection closing under the body, or cancellation).
    ///
    /// With `onConnectionLoop`, the body runs on the connection's event loop (``EventLoopTaskExecutor``): each of its
    /// statements then resumes where the answer arrived, without waking a thread of the global executor. That suits
    /// write transactions (short bodies of several statements: 10 % more one-member group PATCHes a second in the
    /// benchmark), not reads that may parse many documents, which would hold up the loop's other connections.
    func withConnection<T: Sendable>(
        onConnectionLoop: Bool = false,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let client = state.withLockedValue { $0.client }
        let lease = PostgresLease<T>()
        let target = targetDescription
        let outcome = await lease.wait {
            let run = Task {
                do {
                    await self.untilStarted()
                    let value: T? = try await client.withConnection { connection in
                        guard lease.begin() else { return nil }
                        let token = PostgresConnectionCloseWatch.shared.watch(connection) {
                            // Statements that reached the connection fail by themselves; give them a moment.
                            connection.eventLoop.scheduleTask(in: .milliseconds(200)) {
                                lease.abandon(with: StoreUnavailable(reason: "the connection to PostgreSQL at \(target) closed"))
                            }
                        }
                        defer { PostgresConnectionCloseWatch.shared.unwatch(connection, token: token) }
                        guard onConnectionLoop else { return try await body(connection) }
                        return try await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
                            try await body(connection)
                        }
                    }
                    if let value { lease.finish(.success(value)) }
                } catch {
                    lease.finish(.failure(error))
                }
            }
            // A scheduled task on an event loop, not a sleeping Swift task: a timer per request costs little there.
            let deadline = Self.timerLoop.scheduleTask(in: .nanoseconds(Self.leaseTimeout.nanoseconds)) {
                lease.expire(with: StoreUnavailable(reason: "no connection to PostgreSQL at \(target) within 5 s"))
            }
            return ([run], { deadline.cancel() })
        }
        switch outcome {
        case .success(let value):
            state.withLockedValue { $0.lastSuccess = .now }
            return value
        case .failure(let error):
            if !lease.wasLeased && !(error is CancellationError) { state.withLockedValue { $0.lastFailure = .now } }
            throw error
        }
    }

    /// Returns once ``run()`` has started the pool: a lease asked for before (the migrations at start-up can be)
    /// would make postgres-nio warn that its pool is not running. A lease that waits here still has its deadline.
    private func untilStarted() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let started = state.withLockedValue { state -> Bool in
                if !state.started { state.startWaiters.append(continuation) }
                return state.started
            }
            if started { continuation.resume() }
        }
    }

    /// When leases have failed and none succeeded for a while, probes the server and, if it answers, swaps in a
    /// new pool: the old one may be waiting out a back-off of up to a minute.
    private func replacePoolIfStuck() async {
        let stuck = state.withLockedValue { state -> Bool in
            guard let failure = state.lastFailure else { return false }
            guard let success = state.lastSuccess else { return true }
            return failure > success && success.duration(to: .now) > Self.probeInterval
        }
        guard stuck, let probeConfiguration else { return }
        do {
            let connection = try await PostgresConnection.connect(configuration: probeConfiguration, id: 0, logger: logger)
            try? await connection.close()
        } catch {
            return
        }
        let replacement = makeClient()
        let retired = state.withLockedValue { state -> (PostgresClient, Task<Void, Never>?)? in
            guard state.running else { return nil }
            let old = (state.client, state.runs.last)
            state.client = replacement
            state.runs.append(Task { await replacement.run() })
            state.lastFailure = nil
            return old
        }
        guard let (_, oldRun) = retired else { return }
        logger.notice("PostgreSQL at \(targetDescription) answers again; replaced the connection pool")
        // Leases in flight on the old pool finish (or time out) first.
        Task {
            try? await Task.sleep(for: Self.leaseTimeout * 2)
            oldRun?.cancel()
        }
    }
}
