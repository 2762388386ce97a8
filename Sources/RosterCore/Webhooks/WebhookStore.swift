/// Webhook endpoints and their deliveries. Deliveries are rows keyed by (endpoint, event sequence): the worker
/// copies new outbox events into them (``enqueueWebhookDeliveries(endpointID:limit:at:)``), sends the lowest pending
/// one, and records each attempt, so a restart loses nothing and resumes where it stopped. Each endpoint has one
/// owner at a time, through a lease row that lapses when its owner stops renewing it. Each admin change (create,
/// update, rotation, deletion, redelivery) takes the ``AuditActor`` who made it and records it in its transaction.
public protocol WebhookStore: Sendable {
    /// Creates an endpoint that receives events committed from now on.
    func createWebhookEndpoint(url: String, eventTypes: [String], secret: String, by actor: AuditActor) async throws -> WebhookEndpoint
    /// Every endpoint, oldest first.
    func webhookEndpoints() async throws -> [WebhookEndpoint]
    /// The endpoint with `id`.
    func webhookEndpoint(id: String) async throws -> WebhookEndpoint?
    /// Changes an endpoint's URL, event types and whether it is enabled; nil when there is no such endpoint.
    func updateWebhookEndpoint(
        id: String,
        url: String,
        eventTypes: [String],
        enabled: Bool,
        by actor: AuditActor
    ) async throws -> WebhookEndpoint?
    /// Replaces the signing secret; the old one keeps signing until `previousValidUntil`.
    func rotateWebhookSecret(id: String, newSecret: String, previousValidUntil: Int64, by actor: AuditActor) async throws -> WebhookEndpoint?
    /// Deletes an endpoint with its deliveries.
    func deleteWebhookEndpoint(id: String, by actor: AuditActor) async throws -> Bool
    /// Queues the outbox events committed since the endpoint's last look (those of its types), at most `limit`;
    /// returns how many events were looked at.
    func enqueueWebhookDeliveries(endpointID: String, limit: Int, at: Int64) async throws -> Int
    /// The endpoint's lowest pending delivery with its event, due or not.
    func nextWebhookDelivery(endpointID: String) async throws -> PendingWebhookDelivery?
    /// Records an attempt's outcome, only while `owner` holds the endpoint's lease (``claimWebhookLease(endpointID:owner:duration:)``);
    /// returns false, recording nothing, when it does not (another replica took the endpoint over and will send the
    /// delivery itself).
    func recordWebhookAttempt(endpointID: String, sequence: Int64, at: Int64, outcome: WebhookAttemptOutcome, owner: String) async throws -> Bool
    /// Takes or renews the endpoint's lease for `owner`, for `duration` milliseconds of the database's clock, when the
    /// endpoint exists and is enabled and the lease is free, lapsed or already `owner`'s; returns whether `owner`
    /// holds it now. One owner at a time sends an endpoint's deliveries, whichever replica it runs in.
    func claimWebhookLease(endpointID: String, owner: String, duration: Int64) async throws -> Bool
    /// The enabled endpoints `owner` could take now (no lease, a lapsed one, or its own), oldest first: a read, so
    /// that a replica looking for work every poll does not write while another replica holds the leases.
    func claimableWebhookEndpoints(owner: String) async throws -> [String]
    /// Who holds the endpoint's lease and whether it is still live (by the database's clock); nil when nobody ever
    /// took it or it was given up. For the settings page: which replica sends this endpoint's deliveries.
    func webhookLeaseHolder(endpointID: String) async throws -> WebhookLeaseHolder?
    /// Gives the lease up when `owner` holds it, so that another replica can take the endpoint at once.
    func releaseWebhookLease(endpointID: String, owner: String) async throws
    /// The endpoint's deliveries, newest event first, at most `limit`.
    func webhookDeliveries(endpointID: String, limit: Int) async throws -> [WebhookDelivery]
    /// Per endpoint, how many deliveries are waiting: pending rows plus events not yet looked at.
    func webhookBacklog() async throws -> [String: Int]
    /// Queues an event for the endpoint again (a dead-lettered one, or any past event), due at `at`; false when
    /// there is no such endpoint or event.
    func redeliverWebhook(endpointID: String, sequence: Int64, at: Int64, by actor: AuditActor) async throws -> Bool
}

/// A pending delivery and the event it carries.
public struct PendingWebhookDelivery: Sendable, Hashable {
    /// The delivery.
    public var delivery: WebhookDelivery
    /// The event.
    public var event: OutboxEvent

    /// Makes one.
    public init(delivery: WebhookDelivery, event: OutboxEvent) {
        self.delivery = delivery
        self.event = event
    }

    /// Pairs a delivery with its event as a store read it from the outbox; throws ``StoreCorruption`` when the
    /// event is not there (a delivery row is only ever made for an event in the outbox).
    public init(delivery: WebhookDelivery, stored event: OutboxEvent?) throws {
        guard let event else { throw StoreCorruption(detail: "delivery of event \(delivery.sequence), which is not in the outbox") }
        self.init(delivery: delivery, event: event)
    }
}

/// Who holds an endpoint's lease.
public struct WebhookLeaseHolder: Sendable, Hashable {
    /// The worker's name: `HOST:PID:RANDOM`.
    public var owner: String
    /// When the lease lapses unless renewed, in milliseconds since 1970.
    public var expiresAt: Int64
    /// Whether it had not lapsed when read.
    public var isLive: Bool

    /// Makes one.
    public init(owner: String, expiresAt: Int64, isLive: Bool) {
        self.owner = owner
        self.expiresAt = expiresAt
        self.isLive = isLive
    }
}
