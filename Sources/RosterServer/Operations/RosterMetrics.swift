import Foundation
import Metrics
import Prometheus
import RosterCore

/// Roster's metrics, through swift-metrics into a Prometheus registry of its own (no process-wide bootstrap, so
/// tests and embedders each get theirs): SCIM requests by directory, operation and status with a latency
/// histogram, webhook delivery failures, and at scrape time the users, groups and webhook backlog.
public final class RosterMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// The SCIM request handles made so far.
    private let scimHandleCache = LockedCache<SCIMHandleKey, (counter: Metrics.Counter, timer: Metrics.Timer)>()

    /// Makes an empty registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    /// Counts one SCIM request and its latency. `directory` is the directory id once authenticated, else
    /// `unauthenticated`, so that made-up ids cannot grow the label set.
    public func recordSCIMRequest(directory: String, operation: String, status: Int, duration: Duration) {
        let handles = scimHandles(directory: directory, operation: operation, status: status)
        handles.counter.increment()
        handles.timer.recordNanoseconds(duration.nanoseconds)
    }

    /// The counter and timer of one directory, operation and status, made once and then reused: making them
    /// through the factory on every request costs more than the request's own database read.
    private func scimHandles(directory: String, operation: String, status: Int) -> (counter: Metrics.Counter, timer: Metrics.Timer) {
        let key = SCIMHandleKey(directory: directory, operation: operation, status: status)
        if let found = scimHandleCache.withLock({ $0[key] }) { return found }
        let made = (
            counter: Counter(
                label: "roster_scim_requests_total",
                dimensions: [("directory", directory), ("operation", operation), ("status", String(status))],
                factory: factory
            ),
            timer: Metrics.Timer(label: "roster_scim_request_duration_seconds", dimensions: [("operation", operation)], factory: factory)
        )
        scimHandleCache.withLock { $0[key] = made }
        return made
    }

    public func recordWebhookFailure(endpoint: String, deadLettered: Bool) {
        Counter(
            label: "roster_webhook_failures_total",
            dimensions: [("endpoint", endpoint), ("dead_lettered", deadLettered ? "true" : "false")],
            factory: factory
        ).increment()
    }

    /// Sets the gauges read from the store at scrape time.
    func recordStoreGauges(directories: [(id: String, status: DirectoryStatus)], webhookBacklog: [String: Int]) {
        for (id, status) in directories {
            Gauge(label: "roster_users", dimensions: [("directory", id), ("state", "active")], factory: factory).record(status.activeUsers)
            Gauge(label: "roster_users", dimensions: [("directory", id), ("state", "deactivated")], factory: factory).record(status.inactiveUsers)
            Gauge(label: "roster_groups", dimensions: [("directory", id)], factory: factory).record(status.groups)
        }
        for (endpoint, backlog) in webhookBacklog {
            Gauge(label: "roster_webhook_backlog", dimensions: [("endpoint", endpoint)], factory: factory).record(backlog)
        }
    }
}

/// What a SCIM request's metric handles are told apart by.
private struct SCIMHandleKey: Hashable, Sendable {
    let directory: String
    let operation: String
    let status: Int
}

/// A dictionary behind a lock.
private final class LockedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]

    func withLock<R>(_ body: (inout [Key: Value]) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&values)
    }
}
