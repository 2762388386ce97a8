import RosterCore
import SCIM

/// The POST that carries one event to one endpoint: the event's JSON (`id`, `type`, `sequence`, `created_at`,
/// `directory_id`, `data`, `previous_attributes`) and the headers that identify and sign it.
struct WebhookMessage: Sendable {
    /// The body, exactly as signed.
    let body: [UInt8]
    /// The headers.
    let headers: [(String, String)]

    /// The message for `event`, signed at `now` (milliseconds since 1970) with the endpoint's current secrets.
    init(event: OutboxEvent, endpoint: WebhookEndpoint, now: Int64) {
        self.init(eventID: event.id, eventType: event.type, body: Array(event.document.serialized().utf8), endpoint: endpoint, now: now)
    }

    /// The message for a body.
    init(eventID: String, eventType: String, body: [UInt8], endpoint: WebhookEndpoint, now: Int64) {
        self.body = body
        let timestamp = now / 1000
        headers = [
            ("Content-Type", "application/json"),
            ("User-Agent", "Roster-Webhooks/1"),
            ("Roster-Event-Id", eventID),
            ("Roster-Event-Type", eventType),
            ("Roster-Signature", WebhookSignature.header(secrets: endpoint.signingSecrets(at: now), timestamp: timestamp, body: body)),
        ]
    }

    /// A `webhook.test` message, sent by "Send test event".
    static func test(endpoint: WebhookEndpoint, now: Int64) -> WebhookMessage {
        let id = "evt_test_" + BearerToken.generate().token.prefix(16)
        var object = JSONObject()
        object["id"] = .string(String(id))
        object["type"] = .string("webhook.test")
        object["sequence"] = .null
        object["created_at"] = .string(SCIMDateTime.format(millisecondsSince1970: now))
        object["directory_id"] = .null
        object["data"] = .object(JSONObject([("message", .string("A test event from Roster's settings page."))]))
        object["previous_attributes"] = .null
        return WebhookMessage(
            eventID: String(id),
            eventType: "webhook.test",
            body: Array(JSONValue.object(object).serialized().utf8),
            endpoint: endpoint,
            now: now
        )
    }
}
