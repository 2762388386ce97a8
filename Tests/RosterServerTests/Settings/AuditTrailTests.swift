import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import SCIM
import Testing

/// The audit trail through the server: every admin action of the settings pages, the read API and sign-in is
/// recorded with its actor, address, target and values, never with a secret, and can be read on the audit page and
/// through `GET /api/v1/audit`.
@Suite struct AuditTrailTests {
    /// Runs `body` against a live server (so requests come from a real client address) on a fresh store.
    static func withLiveApp(
        configuration: ServerConfiguration = settingsConfiguration(),
        _ body: @Sendable (any TestClientProtocol, SQLiteStore) async throws -> Void
    ) async throws {
        let store = try SQLiteStore.inMemory()
        let router = buildRouter(
            configuration: configuration,
            store: store,
            logger: testLogger(),
            webhookTransport: WebhookSettingsTests.RecordingTransport(status: 204)
        )
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: testLogger())
        try await app.test(.live) { client in try await body(client, store) }
    }

    /// Every entry, oldest first.
    static func entries(_ store: SQLiteStore) async throws -> [RecordedAuditEntry] {
        try await store.auditEntries(AuditQuery(cursor: .after(0), limit: 1000))
    }

    @Test func everyAdminActionIsRecordedWithItsActorAddressAndValuesAndNoSecret() async throws {
        try await Self.withLiveApp { client, store in
            let failed = try await client.execute(uri: "/auth/login?token=not-a-link", method: .get)
            #expect(failed.status == .badRequest)
            let browser = try await SettingsBrowser.signIn(client, store: store)
            var secrets: [String] = [try #require(browser.cookie?.split(separator: "=").last.map(String.init))]

            // Directories.
            let directory = try await browser.configureDirectory(name: "Okta <prod>")
            secrets.append(directory.token)
            let regenerated = try await browser.submit("/settings/organization/dsync/directories/\(directory.id)/token", []).bodyText
            let newToken = try #require(regenerated.firstCapture(of: #/id="scim-bearer-token" readonly value="([^"]+)"/#))
            secrets.append(newToken)
            let scimDirectory = TestDirectory(id: directory.id, token: newToken)
            let alice = try await client.createUser(named: "alice@example.com", in: scimDirectory)

            // Teams and mappings.
            _ = try await browser.submit("/settings/organization/dsync/teams", [("name", "Platform")])
            _ = try await browser.submit("/settings/organization/dsync/teams/platform/rename", [("name", "Platform Eng")])
            _ = try await browser.submit("/settings/organization/dsync/teams/platform/groups", [("groupName", "Engineering")])
            _ = try await browser.submit("/settings/organization/dsync/teams/platform/groups/remove", [("groupName", "Engineering")])

            // Webhook endpoints.
            let created = try await browser.post("/settings/organization/dsync/webhooks", [("url", "https://app.example.com/hooks")])
            let webhookPath = try #require(created.headers[.location])
            let webhookPage = try await browser.get(webhookPath).bodyText
            secrets.append(try #require(webhookPage.firstCapture(of: #/id="webhook-secret-value" readonly value="([^"]+)"/#)))
            let endpoint = try #require(try await store.webhookEndpoints().first)
            _ = try await browser.submit(webhookPath, [("url", "https://app.example.com/v2"), ("enabled", "1")])
            let rotated = try await browser.submit(webhookPath + "/rotate", []).bodyText
            secrets.append(try #require(rotated.firstCapture(of: #/id="webhook-secret-value" readonly value="([^"]+)"/#)))
            _ = try await browser.submit(webhookPath + "/test", [])
            _ = try await client.createUser(named: "bob@example.com", in: scimDirectory)
            _ = try await store.enqueueWebhookDeliveries(endpointID: endpoint.id, limit: 10, at: 0)
            let sequence = try #require(try await store.nextWebhookDelivery(endpointID: endpoint.id)?.delivery.sequence)
            _ = try await browser.submit(webhookPath + "/redeliver", [("sequence", String(sequence))])
            _ = try await browser.submit(webhookPath + "/delete", [])

            // API keys, and manual members through the read API.
            let keysPage = try await browser.submit("/settings/organization/dsync/api-keys", [("name", "Production app")]).bodyText
            let key = try #require(keysPage.firstCapture(of: #/id="api-key-value" readonly value="([^"]+)"/#))
            secrets.append(key)
            let apiHeaders: HTTPFields = [.authorization: "Bearer \(key)", .contentType: "application/json"]
            let added = try await client.execute(
                uri: "/api/v1/teams/platform/members",
                method: .post,
                headers: apiHeaders,
                body: ByteBuffer(string: #"{"user_id":"\#(alice)"}"#)
            )
            #expect(added.status == .created)
            let removed = try await client.execute(uri: "/api/v1/teams/platform/members/\(alice)", method: .delete, headers: apiHeaders)
            #expect(removed.status == .noContent)
            let keyID = try #require(try await store.apiKeys().first?.id)
            _ = try await browser.submit("/settings/organization/dsync/api-keys/\(keyID)/revoke", [])

            _ = try await browser.submit("/settings/organization/dsync/teams/platform/delete", [])
            _ = try await browser.submit("/settings/organization/dsync/directories/\(directory.id)/delete", [("confirmName", "Okta <prod>")])
            let signedOut = try await browser.post("/auth/sign-out", [])
            #expect(signedOut.status == .seeOther)

            let entries = try await Self.entries(store)
            #expect(
                entries.map(\.entry.action) == [
                    .signInFailed, .signInLinkIssued, .signedIn, .directoryCreated, .directoryTokenRotated, .teamCreated, .teamRenamed, .groupMapped,
                    .groupUnmapped, .webhookCreated, .webhookChanged, .webhookSecretRotated, .webhookTestSent, .webhookRedelivered,
                    .webhookDeleted, .apiKeyCreated, .memberAdded, .memberRemoved, .apiKeyRevoked, .teamDeleted, .directoryDeleted,
                    .signedOut,
                ]
            )
            for recorded in entries {
                let actor = recorded.entry.actor
                if recorded.entry.action == .signInLinkIssued {
                    // The test's sign-in link is issued as `roster login-link` would issue it: by the command line.
                    #expect(actor == testActor && actor.address == nil)
                    #expect(recorded.entry.target.name == testAdmin && recorded.entry.after == ["link": "issued"])
                    continue
                }
                let address = try #require(actor.address, "\(recorded.entry.action.rawValue) has the client's address")
                #expect(address == "127.0.0.1" || address == "::1", "\(address)")
                switch recorded.entry.action {
                case .memberAdded, .memberRemoved:
                    #expect(actor.kind == .apiKey && actor.name == "Production app" && actor.detail == keyID)
                case .signInFailed:
                    #expect(actor.kind == .admin && actor.name == "unknown")
                    #expect(recorded.entry.after == ["method": "login-link", "reason": "invalid_link"])
                default:
                    #expect(actor.kind == .admin && actor.name == testAdmin, "\(recorded.entry.action.rawValue)")
                }
            }
            func entry(_ action: AuditAction) -> AuditEntry? {
                entries.first { $0.entry.action == action }?.entry
            }
            #expect(entry(.signedIn)?.after == ["method": "login-link"])
            #expect(entry(.directoryCreated)?.target == AuditTarget(kind: "directory", id: directory.id, name: "Okta <prod>"))
            #expect(entry(.directoryCreated)?.after["token"] == "issued")
            #expect(entry(.directoryTokenRotated)?.after == ["token": "rotated"])
            #expect(entry(.teamRenamed)?.before == ["name": "Platform"])
            #expect(entry(.teamRenamed)?.after == ["name": "Platform Eng"])
            #expect(entry(.groupMapped)?.after == ["group_name": "Engineering", "directory": "every directory"])
            #expect(entry(.groupUnmapped)?.before["group_name"] == "Engineering")
            #expect(entry(.webhookChanged)?.before == ["url": "https://app.example.com/hooks"])
            #expect(entry(.webhookChanged)?.after == ["url": "https://app.example.com/v2"])
            #expect(entry(.webhookSecretRotated)?.after == ["secret": "rotated"])
            #expect(entry(.webhookTestSent)?.after == ["result": "HTTP 204"])
            #expect(entry(.webhookRedelivered)?.after == ["event_sequence": String(sequence)])
            #expect(entry(.memberAdded)?.after["user_name"] == "alice@example.com")
            #expect(entry(.apiKeyRevoked)?.target.name == "Production app")
            #expect(entry(.directoryDeleted)?.before["name"] == "Okta <prod>")

            let everything = entries.map { $0.jsonValue.serialized() }.joined(separator: "\n")
            for secret in secrets {
                #expect(!everything.contains(secret), "a secret appears in the audit trail")
            }
        }
    }

    @Test func theAuditPageListsFiltersAndEscapesEntries() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            _ = try await browser.submit("/settings/organization/dsync/teams", [("name", "<script>x</script>")])
            _ = try await browser.submit("/settings/organization/dsync/teams", [("name", "Design")])
            let page = try await browser.get("/settings/organization/dsync/audit").bodyText
            #expect(page.contains("<h1>Audit log</h1>"))
            #expect(page.contains("&lt;script&gt;x&lt;/script&gt;"))
            #expect(!page.contains("<script>x</script>"))
            #expect(page.components(separatedBy: #"class="audit-row""#).count - 1 == 4, "a link issued, a sign-in and two teams")
            let filtered = try await browser.get("/settings/organization/dsync/audit?action=team.created&target=Design").bodyText
            #expect(filtered.components(separatedBy: #"class="audit-row""#).count - 1 == 1)
            #expect(filtered.contains(#"<option value="team.created" selected>"#))
            let nobody = try await browser.get("/settings/organization/dsync/audit?actor=someone%40example.com").bodyText
            #expect(nobody.contains(#"id="audit-log-empty""#))
        }
    }

    @Test func theAuditPageIsPaginatedByKeyset() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            for index in 0..<60 {
                _ = try await store.createTeam(name: "Team \(index)", slug: nil, by: .admin(email: testAdmin, address: "10.0.0.1"))
            }
            let first = try await browser.get("/settings/organization/dsync/audit?action=team.created").bodyText
            #expect(first.components(separatedBy: #"class="audit-row""#).count - 1 == 50)
            #expect(first.contains("Team 59") && !first.contains("Team 9<"))
            let older = try #require(first.firstCapture(of: #/<a rel="next" href="([^"]+)">/#))
            let second = try await browser.get(older.replacingOccurrences(of: "&amp;", with: "&")).bodyText
            #expect(second.components(separatedBy: #"class="audit-row""#).count - 1 == 10)
            #expect(second.contains("Team 0<") && !second.contains("Team 59"))
        }
    }

    @Test func theReadAPIGivesTheTrailNewestFirstWithACursor() async throws {
        try await withSettingsApp { client, store in
            let (key, hash) = APIKey.generate()
            _ = try await store.createAPIKey(
                name: "reader",
                prefix: String(key.prefix(10)),
                tokenHash: hash,
                by: .admin(email: testAdmin, address: nil)
            )
            for name in ["One", "Two", "Three"] {
                _ = try await store.createTeam(name: name, slug: nil, by: .commandLine(user: "ops"))
            }
            let headers: HTTPFields = [.authorization: "Bearer \(key)"]
            let first = try await client.execute(uri: "/api/v1/audit?actor=cli&limit=2", method: .get, headers: headers)
            #expect(first.status == .ok)
            let json = try first.json()
            let data = try #require(json.objectValue?["data"]?.arrayValue)
            #expect(data.compactMap { $0.objectValue?["target"]?.objectValue?["name"]?.stringValue } == ["Three", "Two"])
            #expect(data.first?.objectValue?["actor_detail"]?.stringValue == "ops")
            let cursor = try #require(json.objectValue?["next_cursor"]?.stringValue)
            let rest = try await client.execute(uri: "/api/v1/audit?actor=cli&cursor=\(cursor)", method: .get, headers: headers).json()
            let names = rest.objectValue?["data"]?.arrayValue?.compactMap { $0.objectValue?["target"]?.objectValue?["name"]?.stringValue }
            #expect(names == ["One"])
            #expect(rest.objectValue?["next_cursor"] == .null)
            #expect(try await client.execute(uri: "/api/v1/audit", method: .get).status == .unauthorized)
        }
    }
}
