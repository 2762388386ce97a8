import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import Testing

extension SecurityTests {
    /// Every form POST the settings pages and sign-out take is refused without this session's CSRF token: with no
    /// token, an empty one, a forged one, and another admin's session token, each answers 403 ("Form expired") and
    /// changes nothing; with the right token the same form is accepted and does change something, so a refusal
    /// is the token's doing. The routes come from the router itself (every method but GET and HEAD, outside the
    /// bearer-authenticated `/api/`), so a form route added later is checked as soon as it exists.
    @Suite("CSRF")
    struct CSRFTests {
        /// The settings store and session a form is posted to.
        struct Fixture: Sendable {
            /// The store.
            var store: SQLiteStore
            /// What "Send test event" sent.
            var transport: WebhookSettingsTests.RecordingTransport
            /// The admin posting the forms.
            var admin: SettingsBrowser
            /// Another admin's session, whose CSRF token must not work for `admin`.
            var otherAdminToken: String
            /// A directory with users and a group.
            var directory: TestDirectory
            /// Its name.
            var directoryName: String
            /// The team `platform`, fed by the group `Engineering`.
            var team: Team
            /// A webhook endpoint with one dead delivery.
            var webhook: WebhookEndpoint
            /// The sequence of that delivery.
            var deliverySequence: Int64
            /// A live API key's id.
            var apiKeyID: String

            /// The values of the route parameters.
            var parameters: [String: String] {
                ["directoryID": directory.id, "slug": team.slug, "webhookID": webhook.id, "keyID": apiKeyID]
            }

            /// Whatever a form can change: the store, what was sent to webhook endpoints, and whether the admin's
            /// session still works (sign-out ends it).
            func observe() async throws -> String {
                let sessionAlive = try await admin.get(RouteTable.settingsRoot).status == .ok
                let sent = await transport.sent.count
                return "\(try await StoreSnapshot.read(store))\nsent \(sent)\nsession alive \(sessionAlive)"
            }

            /// Runs `body` on a fresh store with everything a form can act on.
            static func run(_ body: @Sendable (Fixture) async throws -> Void) async throws {
                let store = try SQLiteStore.inMemory()
                let transport = WebhookSettingsTests.RecordingTransport(status: 200)
                let router = buildRouter(configuration: settingsConfiguration(), store: store, logger: testLogger(), webhookTransport: transport)
                let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: testLogger())
                try await app.test(.router) { client in
                    let directoryName = "Okta"
                    let directory = try await makeDirectory(in: store, name: directoryName)
                    let alice = try await client.createUser(named: "alice@example.com", in: directory)
                    _ = try await client.createGroup(named: "Engineering", members: [alice], in: directory)
                    let team = try await store.createTeam(name: "Platform", slug: nil)
                    _ = try await store.map(team: team.id, groupName: "Engineering", directoryID: nil)
                    let webhook = try await store.createWebhookEndpoint(url: "https://app.example.com/hooks", eventTypes: [], secret: "whsec_test")
                    _ = try await client.createUser(named: "bob@example.com", in: directory)
                    _ = try await store.enqueueWebhookDeliveries(endpointID: webhook.id, limit: 10, at: 0)
                    let pending = try #require(try await store.nextWebhookDelivery(endpointID: webhook.id))
                    #expect(try await store.claimWebhookLease(endpointID: webhook.id, owner: "test", duration: 60_000))
                    #expect(
                        try await store.recordWebhookAttempt(
                            endpointID: webhook.id,
                            sequence: pending.delivery.sequence,
                            at: 1,
                            outcome: .failed(status: 503, response: "down", nextAttemptAt: nil),
                            owner: "test"
                        )
                    )
                    let (key, hash) = APIKey.generate()
                    let apiKey = try await store.createAPIKey(name: "app", prefix: String(key.prefix(10)), tokenHash: hash)
                    let admin = try await SettingsBrowser.signIn(client, store: store)
                    let other = try await SettingsBrowser.signIn(client, store: store, email: "ops@example.com")
                    let fixture = Fixture(
                        store: store,
                        transport: transport,
                        admin: admin,
                        otherAdminToken: try await other.csrfToken(),
                        directory: directory,
                        directoryName: directoryName,
                        team: team,
                        webhook: webhook,
                        deliverySequence: pending.delivery.sequence,
                        apiKeyID: apiKey.id
                    )
                    try await body(fixture)
                }
            }
        }

        /// The fields of a submission of each form that, with the right token, changes something, by route
        /// (`POST /settings/…`). ``everyFormRouteHasASubmission()`` fails when a form route is missing here, or an
        /// entry names no route.
        static func submissions(_ fixture: Fixture) -> [String: [(String, String)]] {
            let root = RouteTable.settingsRoot
            return [
                "POST /auth/sign-out": [],
                "POST \(root)/directories": [("name", "Second"), ("provider", "okta")],
                "POST \(root)/directories/{directoryID}/token": [],
                "POST \(root)/directories/{directoryID}/delete": [("confirmName", fixture.directoryName)],
                "POST \(root)/teams": [("name", "Sales")],
                "POST \(root)/teams/{slug}/rename": [("name", "Platform Renamed")],
                "POST \(root)/teams/{slug}/delete": [],
                "POST \(root)/teams/{slug}/groups": [("groupName", "Sales")],
                "POST \(root)/teams/{slug}/groups/remove": [("groupName", "Engineering")],
                "POST \(root)/webhooks": [("url", "https://second.example.com/hooks")],
                "POST \(root)/webhooks/{webhookID}": [("url", "https://changed.example.com/hooks"), ("enabled", "1")],
                "POST \(root)/webhooks/{webhookID}/rotate": [],
                "POST \(root)/webhooks/{webhookID}/test": [],
                "POST \(root)/webhooks/{webhookID}/redeliver": [("sequence", String(fixture.deliverySequence))],
                "POST \(root)/webhooks/{webhookID}/delete": [],
                "POST \(root)/api-keys": [("name", "Second key")],
                "POST \(root)/api-keys/{keyID}/revoke": [],
            ]
        }

        /// Every route that can change state through a browser: any method but GET and HEAD, outside `/api/` (the
        /// SCIM endpoints and the read API take bearer tokens, never cookies, so they need no CSRF token).
        static func formRoutes() throws -> [RouteTable.Route] {
            try RouteTable.application().routes.filter { ![.get, .head].contains($0.method) && !$0.template.hasPrefix("/api/") }
        }

        @Test("The router's form routes are the settings forms and sign-out, and each has a submission here")
        func everyFormRouteHasASubmission() async throws {
            let routes = try Self.formRoutes()
            #expect(routes.count >= 17, "\(routes)")
            try await Fixture.run { fixture in
                let submissions = Self.submissions(fixture)
                for route in routes {
                    #expect(
                        route.template == "/auth/sign-out" || route.template.hasPrefix(RouteTable.settingsRoot + "/"),
                        "\(route) changes state outside the settings pages: check it needs an admin session and a CSRF token"
                    )
                    #expect(submissions[route.description] != nil, "\(route) is new: add a submission that changes something")
                }
                let stale = Set(submissions.keys).subtracting(routes.map(\.description))
                #expect(stale.isEmpty, "no such route: \(stale.sorted())")
            }
        }

        @Test("Without this session's CSRF token every form is refused with 403 and changes nothing; with it, accepted", arguments: try formRoutes())
        func formsNeedTheSessionsToken(route: RouteTable.Route) async throws {
            try await Fixture.run { fixture in
                let path = try #require(RouteTable.path(route.template, fixture.parameters))
                let fields = Self.submissions(fixture)[route.description] ?? []
                let before = try await fixture.observe()
                let forged = BearerToken.generate().token
                let own = try await fixture.admin.csrfToken()
                let altered = String(own.dropLast()) + (own.hasSuffix("A") ? "B" : "A")
                let refusals: [(String, String?)] = [
                    ("no token", nil), ("an empty token", ""), ("a forged token", forged), ("another session's token", fixture.otherAdminToken),
                    ("the token with its last character changed", altered), ("the token with a character more", own + "A"),
                ]
                for (what, csrf) in refusals {
                    let response = try await fixture.admin.post(path, fields, csrf: .some(csrf), method: route.method)
                    #expect(response.status == .forbidden, "\(route) with \(what): \(response.status)")
                    #expect(response.bodyText.contains("Form expired"), "\(route) with \(what)")
                    #expect(try await fixture.observe() == before, "\(route) with \(what) changed something")
                }
                let accepted = try await fixture.admin.post(path, fields, method: route.method)
                #expect(accepted.status == .seeOther, "\(route) with the session's token: \(accepted.status) \(accepted.bodyText.prefix(300))")
                #expect(try await fixture.observe() != before, "\(route) with the session's token changed nothing, so the refusals prove little")
            }
        }
    }
}
