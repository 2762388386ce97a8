/// Where the application behind Roster wants to hear about changes: an HTTPS (or HTTP) URL that receives each
/// matching outbox event as a signed POST, in sequence order.
public struct WebhookEndpoint: Sendable, Hashable {
    /// The endpoint's id.
    public var id: String
    /// Where events are POSTed.
    public var url: String
    /// The event types sent; empty means every type.
    public var eventTypes: [String]
    /// Whether events are sent (a disabled endpoint keeps its queue and resumes where it stopped).
    public var enabled: Bool
    /// The current signing secret.
    public var secret: String
    /// The secret it replaced, which also signs until ``previousSecretExpiresAt``.
    public var previousSecret: String?
    /// When the previous secret stops signing, in milliseconds since 1970.
    public var previousSecretExpiresAt: Int64?
    /// When it was created, in milliseconds since 1970.
    public var createdAt: Int64

    /// Makes an endpoint.
    public init(
        id: String,
        url: String,
        eventTypes: [String],
        enabled: Bool,
        secret: String,
        previousSecret: String? = nil,
        previousSecretExpiresAt: Int64? = nil,
        createdAt: Int64
    ) {
        self.id = id
        self.url = url
        self.eventTypes = eventTypes
        self.enabled = enabled
        self.secret = secret
        self.previousSecret = previousSecret
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.createdAt = createdAt
    }

    /// Whether events of `type` go to this endpoint.
    public func wants(_ type: String) -> Bool {
        eventTypes.isEmpty || eventTypes.contains(type)
    }

    /// The secrets that sign a delivery at `now`: the current one, and the previous one during the overlap.
    public func signingSecrets(at now: Int64) -> [String] {
        guard let previousSecret, let until = previousSecretExpiresAt, now < until else { return [secret] }
        return [secret, previousSecret]
    }

    /// Every event type Roster emits, for the settings page's choices.
    public static let knownEventTypes = EventType.allCases.map(\.rawValue)
}

/// Where a delivery stands.
public enum WebhookDeliveryState: String, Sendable, Hashable {
    /// Waiting for its (next) attempt.
    case pending
    /// A 2xx answered it.
    case delivered
    /// Given up after the retry window; kept for redelivery.
    case dead
}

/// One event's delivery to one endpoint, with its attempts.
public struct WebhookDelivery: Sendable, Hashable {
    /// The endpoint.
    public var endpointID: String
    /// The event's sequence number.
    public var sequence: Int64
    /// The event's id.
    public var eventID: String
    /// The event's type.
    public var eventType: String
    /// Where it stands.
    public var state: WebhookDeliveryState
    /// How many attempts were made.
    public var attempts: Int
    /// When the first attempt was made (the retry window starts there), in milliseconds since 1970.
    public var firstAttemptAt: Int64?
    /// When the next attempt is due, for a pending delivery.
    public var nextAttemptAt: Int64?
    /// The HTTP status of the last attempt; nil when it got no answer.
    public var lastStatus: Int?
    /// The start of the last answer's body, or why there was none.
    public var lastResponse: String?
    /// When it was delivered.
    public var deliveredAt: Int64?

    /// Makes a delivery.
    public init(
        endpointID: String,
        sequence: Int64,
        eventID: String,
        eventType: String,
        state: WebhookDeliveryState,
        attempts: Int,
        firstAttemptAt: Int64?,
        nextAttemptAt: Int64?,
        lastStatus: Int?,
        lastResponse: String?,
        deliveredAt: Int64?
    ) {
        self.endpointID = endpointID
        self.sequence = sequence
        self.eventID = eventID
        self.eventType = eventType
        self.state = state
        self.attempts = attempts
        self.firstAttemptAt = firstAttemptAt
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastResponse = lastResponse
        self.deliveredAt = deliveredAt
    }
}

/// What an attempt ended in, as the worker records it.
public enum WebhookAttemptOutcome: Sendable, Hashable {
    /// A 2xx: delivered.
    case delivered(status: Int, response: String)
    /// Anything else; retry at `nextAttemptAt`, or dead-letter when it is nil.
    case failed(status: Int?, response: String, nextAttemptAt: Int64?)
}
