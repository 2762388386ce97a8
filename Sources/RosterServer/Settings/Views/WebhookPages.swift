import RosterCore

/// A checkbox of an event type.
struct EventTypeChoice {
    /// The type.
    var name: String
    /// Whether it is chosen.
    var checked: Bool

    /// The choices, with `chosen` checked.
    static func all(chosen: [String]) -> [EventTypeChoice] {
        WebhookEndpointText.knownTypes.map { EventTypeChoice(name: $0, checked: chosen.contains($0)) }
    }
}

/// How the webhook pages word an endpoint.
enum WebhookEndpointText {
    /// Every event type.
    static var knownTypes: [String] { WebhookEndpoint.knownEventTypes }

    /// `all events`, or the types.
    static func types(_ types: [String]) -> String {
        types.isEmpty ? "all events" : types.joined(separator: ", ")
    }

    /// Which replica sends the endpoint's deliveries: its worker's `HOST:PID:RANDOM` name while its lease is live.
    static func deliveredBy(_ holder: WebhookLeaseHolder?, enabled: Bool) -> String {
        guard enabled else { return "not delivered while disabled" }
        guard let holder, holder.isLive else { return "waiting for a replica to take it (within a few seconds)" }
        return "delivered by \(holder.owner), lease until \(DisplayText.time(holder.expiresAt))"
    }
}

/// The model of the `webhooks` template.
struct WebhooksPage {
    /// An endpoint's row.
    struct Row {
        /// Its page.
        var path: String
        /// Its URL.
        var url: String
        /// Its event types.
        var types: String
        /// `enabled` or `disabled`.
        var status: String
    }

    /// The layout's part.
    var chrome: PageChrome
    /// `3 days`.
    var retryWindow: String
    /// Whether any endpoint exists.
    var hasEndpoints: Bool
    /// The endpoints.
    var endpoints: [Row]
    /// The event type choices of the form.
    var eventTypes: [EventTypeChoice]
}

/// The model of the `webhook` template.
struct WebhookPage {
    /// A delivery's row.
    struct Row {
        /// The event's sequence number.
        var sequence: Int64
        /// The event's type.
        var eventType: String
        /// pending, delivered or dead.
        var state: String
        /// How many attempts.
        var attempts: Int
        /// The last status and answer.
        var lastAnswer: String
        /// When the next attempt is due.
        var nextAttempt: String
        /// Where Redeliver posts.
        var redeliverPath: String
    }

    /// The layout's part.
    var chrome: PageChrome
    /// The endpoint's page.
    var path: String
    /// Its URL.
    var url: String
    /// `enabled` or `disabled`.
    var status: String
    /// Whether enabled.
    var enabled: Bool
    /// Its event types in words.
    var types: String
    /// Which replica sends its deliveries, in words.
    var deliveredBy: String
    /// A secret made just now.
    var revealedSecret: String?
    /// Until when the previous secret signs.
    var overlapUntil: String?
    /// The event type choices.
    var eventTypes: [EventTypeChoice]
    /// Whether anything was sent.
    var hasDeliveries: Bool
    /// The latest deliveries.
    var deliveries: [Row]
}

/// The model of the `api-keys` template.
struct APIKeysPage {
    /// A key's row.
    struct Row {
        /// Its name.
        var name: String
        /// Its first characters.
        var prefix: String
        /// When created.
        var created: String
        /// When last used.
        var lastUsed: String
        /// `live` or `revoked`.
        var status: String
        /// Whether it can be revoked.
        var live: Bool
        /// Where Revoke posts.
        var revokePath: String
    }

    /// The layout's part.
    var chrome: PageChrome
    /// A key made just now.
    var revealedKey: String?
    /// Whether any key exists.
    var hasKeys: Bool
    /// The keys.
    var keys: [Row]
}
