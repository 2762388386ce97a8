import Foundation
import Hummingbird
import RosterCore

/// Webhook endpoints: the list and the form to add one, each endpoint's page (its secret shown once, settings,
/// deliveries), secret rotation, a signed test event, redelivery of one event, and deletion. Every POST checks the
/// form's CSRF token first and ends in a redirect with a flash message.
struct WebhooksController<Store: WebhookStore & AuditStore>: Sendable {
    /// The endpoints and their deliveries, and the audit trail for a test event sent.
    let store: Store
    /// Sends "Send test event" at once, outside the delivery queue.
    let transport: any WebhookTransport
    /// How long failed deliveries are retried, in milliseconds, for the page's wording.
    let retryWindow: Int64
    /// Chrome, redirects and revealed secrets.
    let support: SettingsPageSupport

    /// Adds `/webhooks` and `/webhooks/{webhookID}` with its `rotate`, `test`, `redeliver` and `delete` to the
    /// settings group.
    func addRoutes(to settings: RouterGroup<AdminRequestContext>) {
        settings.get("webhooks", use: webhooks)
        settings.post("webhooks", use: createWebhook)
        settings.get("webhooks/{webhookID}", use: webhook)
        settings.post("webhooks/{webhookID}", use: updateWebhook)
        settings.post("webhooks/{webhookID}/rotate", use: rotateWebhookSecret)
        settings.post("webhooks/{webhookID}/test", use: testWebhook)
        settings.post("webhooks/{webhookID}/redeliver", use: redeliverWebhook)
        settings.post("webhooks/{webhookID}/delete", use: deleteWebhook)
    }

    /// How long a rotated secret keeps signing: 24 hours.
    static var secretOverlap: Int64 { 86_400_000 }

    /// GET …/webhooks: the endpoints and the form to add one.
    @Sendable func webhooks(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let endpoints = try await store.webhookEndpoints()
        let page = WebhooksPage(
            chrome: try await support.chrome(context),
            retryWindow: DisplayText.duration(retryWindow),
            hasEndpoints: !endpoints.isEmpty,
            endpoints: endpoints.map {
                WebhooksPage.Row(
                    path: SettingsPaths.webhook($0.id),
                    url: $0.url,
                    types: WebhookEndpointText.types($0.eventTypes),
                    status: $0.enabled ? "enabled" : "disabled"
                )
            },
            eventTypes: EventTypeChoice.all(chosen: [])
        )
        return support.pages.page("webhooks", page)
    }

    /// POST …/webhooks: adds an endpoint and shows its secret once.
    @Sendable func createWebhook(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, session: context.session)
        guard let url = Self.webhookURL(form.trimmed("url")) else {
            return try await support.redirect(
                to: SettingsPaths.webhooks,
                FlashMessage(.error, "Give an http:// or https:// URL with a host."),
                context: context
            )
        }
        let secret = WebhookSignature.generateSecret()
        let endpoint = try await store.createWebhookEndpoint(url: url, eventTypes: Self.eventTypes(form), secret: secret, by: context.actor)
        let message = FlashMessage(.success, "Endpoint added. Copy its signing secret now: it is shown only once.")
        return try await redirect(to: endpoint, revealing: secret, message, context: context)
    }

    /// GET …/webhooks/{id}: secret, settings, test, deliveries.
    @Sendable func webhook(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let endpoint = try await requireWebhook(context)
        let deliveries = try await store.webhookDeliveries(endpointID: endpoint.id, limit: 100)
        let path = SettingsPaths.webhook(endpoint.id)
        let now = WallClock.millisecondsSince1970()
        let page = WebhookPage(
            chrome: try await support.chrome(context),
            path: path,
            url: endpoint.url,
            status: endpoint.enabled ? "enabled" : "disabled",
            enabled: endpoint.enabled,
            types: WebhookEndpointText.types(endpoint.eventTypes),
            deliveredBy: WebhookEndpointText.deliveredBy(try await store.webhookLeaseHolder(endpointID: endpoint.id), enabled: endpoint.enabled),
            revealedSecret: try await support.revealedSecret(key: Self.secretKey(endpoint), context: context),
            overlapUntil: endpoint.signingSecrets(at: now).count > 1 ? endpoint.previousSecretExpiresAt.map(DisplayText.time) : nil,
            eventTypes: EventTypeChoice.all(chosen: endpoint.eventTypes),
            hasDeliveries: !deliveries.isEmpty,
            deliveries: deliveries.map { delivery in
                var answer = delivery.lastStatus.map { "HTTP \($0)" } ?? (delivery.attempts > 0 ? "no answer" : "")
                if let excerpt = delivery.lastResponse, !excerpt.isEmpty { answer += answer.isEmpty ? excerpt : ": " + excerpt }
                return WebhookPage.Row(
                    sequence: delivery.sequence,
                    eventType: delivery.eventType,
                    state: delivery.state.rawValue,
                    attempts: delivery.attempts,
                    lastAnswer: String(answer.prefix(300)),
                    nextAttempt: delivery.state == .pending ? delivery.nextAttemptAt.map(DisplayText.time) ?? "" : "",
                    redeliverPath: path + "/redeliver"
                )
            }
        )
        return support.pages.page("webhook", page)
    }

    /// POST …/webhooks/{id}: URL, event types, enabled.
    @Sendable func updateWebhook(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, session: context.session)
        let endpoint = try await requireWebhook(context)
        let path = SettingsPaths.webhook(endpoint.id)
        guard let url = Self.webhookURL(form.trimmed("url")) else {
            return try await support.redirect(
                to: path,
                FlashMessage(.error, "Nothing changed: give an http:// or https:// URL with a host."),
                context: context
            )
        }
        _ = try await store.updateWebhookEndpoint(
            id: endpoint.id,
            url: url,
            eventTypes: Self.eventTypes(form),
            enabled: form["enabled"] != nil,
            by: context.actor
        )
        return try await support.redirect(to: path, FlashMessage(.success, "Saved."), context: context)
    }

    /// POST …/webhooks/{id}/rotate: a new secret, the old one signing 24 more hours.
    @Sendable func rotateWebhookSecret(_ request: Request, context: AdminRequestContext) async throws -> Response {
        _ = try await SubmittedForm.read(request, session: context.session)
        let endpoint = try await requireWebhook(context)
        let secret = WebhookSignature.generateSecret()
        let until = WallClock.millisecondsSince1970() + Self.secretOverlap
        _ = try await store.rotateWebhookSecret(id: endpoint.id, newSecret: secret, previousValidUntil: until, by: context.actor)
        let message = FlashMessage(.warning, "New secret made; the old one also signs until \(DisplayText.time(until)). Copy the new one now.")
        return try await redirect(to: endpoint, revealing: secret, message, context: context)
    }

    /// POST …/webhooks/{id}/test: sends a signed `webhook.test` now and says what answered.
    @Sendable func testWebhook(_ request: Request, context: AdminRequestContext) async throws -> Response {
        _ = try await SubmittedForm.read(request, session: context.session)
        let endpoint = try await requireWebhook(context)
        let message = WebhookMessage.test(endpoint: endpoint, now: WallClock.millisecondsSince1970())
        let flash: FlashMessage
        let result: String
        do {
            let response = try await transport.post(url: endpoint.url, headers: message.headers, body: message.body, timeout: .seconds(10))
            flash =
                (200..<300).contains(response.status)
                ? FlashMessage(.success, "The test event was accepted: HTTP \(response.status).")
                : FlashMessage(.error, "The endpoint answered HTTP \(response.status): \(response.excerpt.prefix(200))")
            result = "HTTP \(response.status)"
        } catch {
            flash = FlashMessage(.error, "The test event got no answer: \(String(describing: error).prefix(200))")
            result = "no answer"
        }
        try await store.recordAudit(.webhookTestSent(endpoint, result: result, by: context.actor))
        return try await support.redirect(to: SettingsPaths.webhook(endpoint.id), flash, context: context)
    }

    /// POST …/webhooks/{id}/redeliver with `sequence`: queues that event again.
    @Sendable func redeliverWebhook(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, session: context.session)
        let endpoint = try await requireWebhook(context)
        let path = SettingsPaths.webhook(endpoint.id)
        guard let sequence = Int64(form.trimmed("sequence")),
            try await store.redeliverWebhook(
                endpointID: endpoint.id,
                sequence: sequence,
                at: WallClock.millisecondsSince1970(),
                by: context.actor
            )
        else {
            return try await support.redirect(to: path, FlashMessage(.error, "There is no event with that number."), context: context)
        }
        return try await support.redirect(to: path, FlashMessage(.success, "Event #\(sequence) is queued for delivery again."), context: context)
    }

    /// POST …/webhooks/{id}/delete: deletes the endpoint with its deliveries.
    @Sendable func deleteWebhook(_ request: Request, context: AdminRequestContext) async throws -> Response {
        _ = try await SubmittedForm.read(request, session: context.session)
        let endpoint = try await requireWebhook(context)
        _ = try await store.deleteWebhookEndpoint(id: endpoint.id, by: context.actor)
        return try await support.redirect(
            to: SettingsPaths.webhooks,
            FlashMessage(.success, "Endpoint \(endpoint.url) was deleted."),
            context: context
        )
    }

    // MARK: Helpers

    /// The endpoint named by the `webhookID` path parameter; 404 page when there is none.
    func requireWebhook(_ context: AdminRequestContext) async throws -> WebhookEndpoint {
        guard let endpoint = try await store.webhookEndpoint(id: try context.parameters.require("webhookID")) else {
            throw SettingsPageError.notFound("This webhook endpoint")
        }
        return endpoint
    }

    /// A 303 to the endpoint's page, which shows `message` and, once, its new signing `secret`.
    private func redirect(
        to endpoint: WebhookEndpoint,
        revealing secret: String,
        _ message: FlashMessage,
        context: AdminRequestContext
    ) async throws -> Response {
        try await support.redirect(
            to: SettingsPaths.webhook(endpoint.id),
            revealing: secret,
            key: Self.secretKey(endpoint),
            message,
            context: context
        )
    }

    /// Where a new signing secret waits for the endpoint's page.
    static func secretKey(_ endpoint: WebhookEndpoint) -> String {
        "webhook:" + endpoint.id
    }

    /// The URL when it is http(s) with a host.
    static func webhookURL(_ text: String) -> String? {
        guard let components = URLComponents(string: text), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
            !(components.host ?? "").isEmpty
        else { return nil }
        return text
    }

    /// The checked event types that Roster knows.
    static func eventTypes(_ form: SubmittedForm) -> [String] {
        let chosen = Set(form.fields.items.filter { $0.name == "eventType" }.map(\.value))
        return WebhookEndpoint.knownEventTypes.filter(chosen.contains)
    }
}
