import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import Testing

/// The webhook and API key pages.
@Suite struct WebhookSettingsTests {
    /// A transport that records what it was asked to send and answers with `status`.
    actor RecordingTransport: WebhookTransport {
        private(set) var sent: [(url: String, headers: [(String, String)], body: [UInt8])] = []
        let status: Int

        init(status: Int) { self.status = status }

        func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async throws -> WebhookResponse {
            sent.append((url, headers, body))
            return WebhookResponse(status: status, excerpt: status == 200 ? "ok" : "nope")
        }
    }

    static func withPages(
        transport: RecordingTransport = RecordingTransport(status: 200),
        _ body: @Sendable (any TestClientProtocol, SQLiteStore) async throws -> Void
    ) async throws {
        let store = try SQLiteStore.inMemory()
        let configuration = settingsConfiguration()
        let router = buildRouter(configuration: configuration, store: store, logger: testLogger(), webhookTransport: transport)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: testLogger())
        try await app.test(.router) { client in try await body(client, store) }
    }

    @Test func anEndpointShowsItsSecretOnceAndSendsASignedTestEvent() async throws {
        let transport = RecordingTransport(status: 200)
        try await Self.withPages(transport: transport) { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let created = try await browser.post(
                "/settings/organization/dsync/webhooks",
                [
                    ("url", "https://app.example.com/hooks"), ("eventType", "team.member_added"), ("eventType", "team.member_removed"),
                    ("eventType", "bogus"),
                ]
            )
            #expect(created.status == .seeOther)
            let path = try #require(created.headers[.location])
            let page = try await browser.get(path).bodyText
            let secret = try #require(page.firstCapture(of: #/id="webhook-secret-value" readonly value="([^"]+)"/#))
            #expect(secret.hasPrefix("whsec_"))
            let endpoint = try #require(try await store.webhookEndpoints().first)
            #expect(endpoint.secret == secret)
            #expect(endpoint.eventTypes == ["team.member_added", "team.member_removed"], "unknown types are dropped")
            let again = try await browser.get(path).bodyText
            #expect(!again.contains(secret) && again.contains(#"id="webhook-secret-masked""#))

            let tested = try await browser.submit(path + "/test", []).bodyText
            #expect(tested.flashText == "success: The test event was accepted: HTTP 200.")
            let sent = try #require(await transport.sent.first)
            #expect(sent.url == "https://app.example.com/hooks")
            let signature = try #require(sent.headers.first { $0.0 == "Roster-Signature" }?.1)
            #expect(WebhookSignature.verify(header: signature, secret: secret, body: sent.body, now: Int64(Date().timeIntervalSince1970)))

            let rotated = try await browser.submit(path + "/rotate", []).bodyText
            let newSecret = try #require(rotated.firstCapture(of: #/id="webhook-secret-value" readonly value="([^"]+)"/#))
            #expect(newSecret != secret)
            let afterRotation = try #require(try await store.webhookEndpoint(id: endpoint.id))
            #expect(afterRotation.signingSecrets(at: WallClock.millisecondsSince1970()) == [newSecret, secret], "both sign for a while")
        }
    }

    @Test func theDeliveriesLogShowsAttemptsAndRedeliverQueuesAgain() async throws {
        try await Self.withPages { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let directory = try await makeDirectory(in: store)
            let endpoint = try await store.createWebhookEndpoint(url: "https://app.example.com/hooks", eventTypes: [], secret: "s")
            _ = try await client.createUser(named: "alice@example.com", in: directory)
            _ = try await store.enqueueWebhookDeliveries(endpointID: endpoint.id, limit: 10, at: 0)
            let pending = try #require(try await store.nextWebhookDelivery(endpointID: endpoint.id))
            let path = "/settings/organization/dsync/webhooks/\(endpoint.id)"
            #expect(try await browser.get(path).bodyText.contains(#"id="webhook-delivered-by">waiting for a replica to take it"#))
            #expect(try await store.claimWebhookLease(endpointID: endpoint.id, owner: "test", duration: 60_000))
            #expect(try await browser.get(path).bodyText.contains(#"id="webhook-delivered-by">delivered by test, lease until"#))
            #expect(
                try await store.recordWebhookAttempt(
                    endpointID: endpoint.id,
                    sequence: pending.delivery.sequence,
                    at: 1,
                    outcome: .failed(status: 503, response: "<b>down</b>", nextAttemptAt: nil),
                    owner: "test"
                )
            )
            let page = try await browser.get(path).bodyText
            #expect(page.contains(#"<td class="delivery-state">dead</td>"#))
            #expect(page.contains("HTTP 503: &lt;b&gt;down&lt;/b&gt;"))
            let redelivered = try await browser.submit(path + "/redeliver", [("sequence", String(pending.delivery.sequence))]).bodyText
            #expect(redelivered.flashText?.hasPrefix("success:") == true)
            #expect(try await store.webhookDeliveries(endpointID: endpoint.id, limit: 1).first?.state == .pending)
            let unknown = try await browser.submit(path + "/redeliver", [("sequence", "999999")]).bodyText
            #expect(unknown.flashText?.hasPrefix("error:") == true)

            _ = try await browser.submit(path, [("url", "https://app.example.com/v2")])
            let updated = try #require(try await store.webhookEndpoint(id: endpoint.id))
            #expect(updated.url == "https://app.example.com/v2")
            #expect(updated.enabled == false, "the enabled box was not checked")
            let invalid = try await browser.submit(path, [("url", "ftp://x"), ("enabled", "1")]).bodyText
            #expect(invalid.flashText?.hasPrefix("error:") == true)
            _ = try await browser.submit(path + "/delete", [])
            #expect(try await store.webhookEndpoints().isEmpty)
        }
    }

    @Test func apiKeysAreShownOnceAndRevocable() async throws {
        try await Self.withPages { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let page = try await browser.submit("/settings/organization/dsync/api-keys", [("name", "Production app")]).bodyText
            let key = try #require(page.firstCapture(of: #/id="api-key-value" readonly value="([^"]+)"/#))
            #expect(key.hasPrefix("rst_"))
            let again = try await browser.get("/settings/organization/dsync/api-keys").bodyText
            #expect(!again.contains(key))
            #expect(again.contains("Production app"))
            let authorized: HTTPFields = [.authorization: "Bearer \(key)"]
            #expect(try await client.execute(uri: "/api/v1/teams", method: .get, headers: authorized).status == .ok)
            let id = try #require(try await store.apiKeys().first?.id)
            _ = try await browser.submit("/settings/organization/dsync/api-keys/\(id)/revoke", [])
            #expect(try await client.execute(uri: "/api/v1/teams", method: .get, headers: authorized).status == .unauthorized)
        }
    }
}
