import Logging
import RosterCore
import ServiceLifecycle

/// Delivers outbox events to every enabled webhook endpoint, outside any SCIM request: each endpoint has its own
/// loop, so a slow or failing endpoint never holds up another. Per endpoint, events go out one at a time in sequence
/// order; a failure is retried with ``RetryPolicy`` (the next event waits, keeping the order) until the window
/// passes, then dead-lettered. All state is in the store, so a restart resumes where it stopped (at least once: an
/// attempt cut short by shutdown is made again). Ends on graceful shutdown.
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

    /// Makes a worker.
    public init(
        store: Store,
        transport: any WebhookTransport = HTTPClientWebhookTransport(),
        configuration: Configuration = Configuration(),
        logger: Logger,
        metrics: RosterMetrics? = nil,
        now: @escaping @Sendable () -> Int64 = { WallClock.millisecondsSince1970() }
    ) {
        self.store = store
        self.transport = transport
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.now = now
    }

    /// Runs until graceful shutdown (or cancellation).
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.superviseEndpoints()
        }
    }

    /// Starts a loop for every enabled endpoint and re-reads the list every poll interval, until cancelled; a loop
    /// ends by itself when its endpoint is disabled or deleted.
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
                do {
                    for endpoint in try await store.webhookEndpoints() where endpoint.enabled && !running.contains(endpoint.id) {
                        running.insert(endpoint.id)
                        group.addTask {
                            await self.deliver(endpointID: endpoint.id)
                            return endpoint.id
                        }
                    }
                } catch {
                    logger.error("Webhook worker cannot read the endpoints: \(String(describing: error))")
                }
                group.addTask {
                    try? await Task.sleep(for: self.configuration.pollInterval)
                    return nil
                }
            }
            group.cancelAll()
        }
    }

    /// The loop of one endpoint: queue new events, send the lowest pending one when it is due, record the outcome.
    func deliver(endpointID: String) async {
        while !Task.isCancelled {
            do {
                guard let endpoint = try await store.webhookEndpoint(id: endpointID), endpoint.enabled else { return }
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
                try await attempt(pending, endpoint: endpoint)
            } catch is CancellationError {
                return
            } catch {
                logger.error("Webhook delivery loop failed", metadata: ["endpoint": "\(endpointID)", "error": "\(String(describing: error))"])
                try? await Task.sleep(for: configuration.pollInterval)
            }
        }
    }

    /// Sends one delivery and records what happened.
    private func attempt(_ pending: PendingWebhookDelivery, endpoint: WebhookEndpoint) async throws {
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
        let finished = now()
        try await Task {
            try await store.recordWebhookAttempt(endpointID: endpoint.id, sequence: pending.delivery.sequence, at: finished, outcome: outcome)
        }.value
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

    /// Makes a configuration: poll every second, 10 s timeout, the default retry policy (3 days).
    public init(pollInterval: Duration = .seconds(1), requestTimeout: Duration = .seconds(10), retryPolicy: RetryPolicy = RetryPolicy()) {
        self.pollInterval = pollInterval
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
    }
}
