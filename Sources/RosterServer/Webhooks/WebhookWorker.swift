import Foundation
import Logging
import RosterCore
import ServiceLifecycle

/// Delivers outbox events to every enabled webhook endpoint, outside any SCIM request: each endpoint has its own
/// loop, so a slow or failing endpoint never holds up another. Per endpoint, events go out one at a time in sequence
/// order; a failure is retried with ``RetryPolicy`` (the next event waits, keeping the order) until the window
/// passes, then dead-lettered. All state is in the store, so a restart resumes where it stopped (at least once: an
/// attempt cut short by shutdown is made again). Ends on graceful shutdown.
///
/// Several replicas on one database share the endpoints: a loop runs only while this worker holds the endpoint's
/// lease (``WebhookStore/claimWebhookLease(endpointID:owner:duration:)``), renewed every
/// ``WebhookWorkerConfiguration/leaseRenewal`` and before any POST once that much time has passed, and an attempt is
/// recorded only while the lease is held. When a replica dies, its leases lapse after
/// ``WebhookWorkerConfiguration/leaseDuration`` and another replica resumes at the lowest pending delivery: the one
/// delivery that was in flight may be sent again, nothing else. On graceful shutdown the leases are given up at once.
public struct WebhookWorker<Store: WebhookStore>: Service {
    /// How the worker paces itself.
    public typealias Configuration = WebhookWorkerConfiguration

    /// Where endpoints, deliveries and events live.
    let store: Store
    /// How POSTs are sent.
    let transport: any WebhookTransport
    /// Pacing and retries.
    let configuration: Configuration
    /// Where failures are logged.
    let logger: Logger
    /// The clock, in milliseconds since 1970.
    let now: @Sendable () -> Int64
    /// Where failures are counted.
    let metrics: RosterMetrics?
    /// Given once start-up work is done; the worker waits for it before it reads the store (nil: starts at once).
    let startsAfter: StartSignal?
    /// This worker's name in lease rows: `HOST:PID:RANDOM`, so an operator can tell which process holds an endpoint.
    public let owner: String

    /// Makes a worker.
    public init(
        store: Store,
        transport: any WebhookTransport = HTTPClientWebhookTransport(),
        configuration: Configuration = Configuration(),
        logger: Logger,
        metrics: RosterMetrics? = nil,
        startsAfter: StartSignal? = nil,
        now: @escaping @Sendable () -> Int64 = { WallClock.millisecondsSince1970() }
    ) {
        self.store = store
        self.transport = transport
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.now = now
        self.startsAfter = startsAfter
        owner = WebhookWorker.ownerName()
    }

    /// Runs until graceful shutdown (or cancellation), from the moment ``startsAfter`` is given.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.startsAfter?.wait()
            guard !Task.isCancelled else { return }
            await self.superviseEndpoints()
        }
    }

    /// Starts a loop for every enabled endpoint whose lease this worker can take, and looks again every poll
    /// interval, until cancelled; a loop ends by itself when its endpoint is disabled or deleted or its lease is lost.
    public func superviseEndpoints() async {
        await withTaskGroup(of: String?.self) { group in
            var running = Set<String>()
            group.addTask { nil }
            while let finished = await group.next() {
                if let endpointID = finished {
                    running.remove(endpointID)
                    continue
                }
                if Task.isCancelled { break }
                let claimedAt = now()
                for endpointID in await claimedEndpoints(besides: running) {
                    running.insert(endpointID)
                    group.addTask {
                        await self.deliver(endpointID: endpointID, claimedAt: claimedAt)
                        return endpointID
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: self.configuration.pollInterval)
                    return nil
                }
            }
            group.cancelAll()
        }
    }

    /// The enabled endpoints not in `running` whose lease this worker has just taken.
    private func claimedEndpoints(besides running: Set<String>) async -> [String] {
        var claimed: [String] = []
        do {
            for endpointID in try await store.claimableWebhookEndpoints(owner: owner) where !running.contains(endpointID) {
                if try await claimLease(endpointID) { claimed.append(endpointID) }
            }
        } catch {
            logger.error("Webhook worker cannot read the endpoints: \(String(describing: error))")
        }
        return claimed
    }

    /// The loop of one endpoint while this worker holds its lease: queue new events, send the lowest pending one when
    /// it is due, record the outcome. Gives the lease up when it ends (cancelled, endpoint disabled or deleted).
    /// `claimedAt` is when the caller took the lease (nil: the loop takes it first).
    func deliver(endpointID: String, claimedAt: Int64? = nil) async {
        if await deliverWhileLeased(endpointID: endpointID, claimedAt: claimedAt) {
            // Outside the cancelled task, so that the store still answers: another replica then need not wait for the
            // lease to lapse.
            let store = self.store
            let owner = self.owner
            await Task { try? await store.releaseWebhookLease(endpointID: endpointID, owner: owner) }.value
        }
    }

    /// The loop itself; returns whether this worker may still hold the lease (false once it was lost).
    private func deliverWhileLeased(endpointID: String, claimedAt: Int64?) async -> Bool {
        var renewedAt = claimedAt
        while !Task.isCancelled {
            do {
                if renewedAt.map({ now() - $0 >= configuration.leaseRenewal.milliseconds }) ?? true {
                    guard try await claimLease(endpointID) else {
                        logger.info("Webhook endpoint is delivered by another replica now", metadata: ["endpoint": "\(endpointID)"])
                        return false
                    }
                    renewedAt = now()
                }
                guard let endpoint = try await store.webhookEndpoint(id: endpointID), endpoint.enabled else { return true }
                _ = try await store.enqueueWebhookDeliveries(endpointID: endpointID, limit: 500, at: now())
                guard let pending = try await store.nextWebhookDelivery(endpointID: endpointID) else {
                    try await Task.sleep(for: configuration.pollInterval)
                    continue
                }
                let wait = (pending.delivery.nextAttemptAt ?? 0) - now()
                if wait > 0 {
                    try await Task.sleep(for: min(.milliseconds(wait), configuration.pollInterval))
                    continue
                }
                guard try await attempt(pending, endpoint: endpoint) else {
                    logger.warning(
                        "Webhook lease lost during a delivery; the replica that holds it now sends it again",
                        metadata: ["endpoint": "\(endpointID)", "event": "\(pending.event.id)"]
                    )
                    return false
                }
            } catch is CancellationError {
                return true
            } catch {
                logger.error("Webhook delivery loop failed", metadata: ["endpoint": "\(endpointID)", "error": "\(String(describing: error))"])
                try? await Task.sleep(for: configuration.pollInterval)
            }
        }
        return true
    }

    /// Takes or renews the endpoint's lease for this worker.
    private func claimLease(_ endpointID: String) async throws -> Bool {
        try await store.claimWebhookLease(endpointID: endpointID, owner: owner, duration: configuration.leaseDuration.milliseconds)
    }

    /// Sends one delivery and records what happened; false when the lease was lost meanwhile (nothing recorded).
    private func attempt(_ pending: PendingWebhookDelivery, endpoint: WebhookEndpoint) async throws -> Bool {
        let started = now()
        let message = WebhookMessage(event: pending.event, endpoint: endpoint, now: started)
        let outcome: WebhookAttemptOutcome
        do {
            let response = try await transport.post(
                url: endpoint.url,
                headers: message.headers,
                body: message.body,
                timeout: configuration.requestTimeout
            )
            outcome =
                (200..<300).contains(response.status)
                ? .delivered(status: response.status, response: response.excerpt)
                : .failed(status: response.status, response: response.excerpt, nextAttemptAt: retryTime(pending, at: started))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            outcome = .failed(status: nil, response: String(String(describing: error).prefix(512)), nextAttemptAt: retryTime(pending, at: started))
        }
        if case .failed(_, _, let next) = outcome {
            metrics?.recordWebhookFailure(endpoint: endpoint.id, deadLettered: next == nil)
            logger.warning(
                next == nil ? "Webhook delivery dead-lettered" : "Webhook delivery failed; will retry",
                metadata: ["endpoint": "\(endpoint.id)", "event": "\(pending.event.id)", "attempt": "\(pending.delivery.attempts + 1)"]
            )
        }
        // Recorded even when shutdown has begun, so that an answered delivery is not sent again after a restart.
        let store = self.store
        let owner = self.owner
        let finished = now()
        return try await Task {
            try await store.recordWebhookAttempt(
                endpointID: endpoint.id,
                sequence: pending.delivery.sequence,
                at: finished,
                outcome: outcome,
                owner: owner
            )
        }.value
    }

    /// `HOST:PID:RANDOM` for this process.
    static func ownerName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&name, name.count - 1) == 0 ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "host"
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(BearerToken.generate().token.prefix(8))"
    }

    /// When to retry after this failure, or nil to dead-letter.
    private func retryTime(_ pending: PendingWebhookDelivery, at time: Int64) -> Int64? {
        configuration.retryPolicy.nextAttempt(
            afterFailure: pending.delivery.attempts + 1,
            firstAttemptAt: pending.delivery.firstAttemptAt ?? time,
            now: time,
            random: Double.random(in: 0..<1)
        )
    }
}

/// How the webhook worker paces itself.
public struct WebhookWorkerConfiguration: Sendable {
    /// How often an idle endpoint looks for new events, and how often the endpoint list is re-read.
    public var pollInterval: Duration
    /// How long one POST may take.
    public var requestTimeout: Duration
    /// When to retry and when to give up.
    public var retryPolicy: RetryPolicy
    /// How long an endpoint's lease lasts unless renewed: how long the endpoint waits for another replica after its
    /// owner dies. At least the request timeout plus ``leaseRenewal`` plus two seconds, so that a POST started under a
    /// renewed lease is recorded before it lapses.
    public var leaseDuration: Duration
    /// How often a held lease is renewed.
    public var leaseRenewal: Duration

    /// Makes a configuration: poll every second, 10 s timeout, the default retry policy (3 days), 15 s leases renewed
    /// every 3 s.
    public init(
        pollInterval: Duration = .seconds(1),
        requestTimeout: Duration = .seconds(10),
        retryPolicy: RetryPolicy = RetryPolicy(),
        leaseDuration: Duration = .seconds(15),
        leaseRenewal: Duration = .seconds(3)
    ) {
        self.pollInterval = pollInterval
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        self.leaseRenewal = leaseRenewal
        self.leaseDuration = max(leaseDuration, requestTimeout + leaseRenewal + .seconds(2))
    }
}
