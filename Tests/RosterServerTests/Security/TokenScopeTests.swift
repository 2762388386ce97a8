import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import Testing

extension SecurityTests {
    /// A directory's SCIM bearer token opens that directory's SCIM endpoints and nothing else. Events leave Roster
    /// through the read API (`/api/v1`, organization-wide API keys), webhooks (pushed out) and the `roster events`
    /// command, so a directory token must get the read API's 401 on every `/api/v1` route, and the settings pages
    /// (admin sessions only) must send a request carrying it to the sign-in page without showing anything.
    @Suite("Directory token scope")
    struct TokenScopeTests {
        /// Team, webhook and API key added to ``TwoDirectories`` so that every route parameter names something real.
        struct Extras: Sendable {
            /// A team fed by A's and B's shared group.
            var team: Team
            /// A webhook endpoint.
            var webhook: WebhookEndpoint
            /// A live API key.
            var apiKey: String
            /// Its id.
            var apiKeyID: String

            /// Adds them to the store.
            static func add(to store: SQLiteStore) async throws -> Extras {
                let team = try await store.createTeam(name: "Platform", slug: nil)
                _ = try await store.map(team: team.id, groupName: TwoDirectories.sharedGroupName, directoryID: nil)
                let webhook = try await store.createWebhookEndpoint(url: "https://app.example.com/hooks", eventTypes: [], secret: "whsec_test")
                let (key, hash) = APIKey.generate()
                let created = try await store.createAPIKey(name: "app", prefix: String(key.prefix(10)), tokenHash: hash)
                return Extras(team: team, webhook: webhook, apiKey: key, apiKeyID: created.id)
            }
        }

        /// The route parameters of the settings pages and the read API, naming A's resources.
        static func parameters(_ directories: TwoDirectories, _ extras: Extras, template: String) -> [String: String] {
            [
                "directoryID": directories.a.directory.id, "userID": directories.a.ownUserID, "slug": extras.team.slug,
                "webhookID": extras.webhook.id, "keyID": extras.apiKeyID, "userId": directories.a.ownUserID,
                "id": template.contains("/teams/") ? extras.team.id : directories.a.ownUserID,
            ]
        }

        @Test("Every /api/v1 route, the event feed included, refuses A's and B's SCIM tokens with the read API's 401")
        func readAPIRefusesDirectoryTokens() async throws {
            let routes = try RouteTable.application().routes(under: "/api/v1", methods: [.get, .post, .put, .patch, .delete])
                .filter { !$0.template.hasSuffix("openapi.json") }
            #expect(routes.contains { $0.template == "/api/v1/events" }, "the event feed is a read API route")
            try await TwoDirectories.run { directories in
                let extras = try await Extras.add(to: directories.store)
                let before = try await StoreSnapshot.read(directories.store)
                for route in routes {
                    let path = try #require(RouteTable.path(route.template, Self.parameters(directories, extras, template: route.template)))
                    let body = ByteBuffer(string: #"{"user_id":"\#(directories.a.ownUserID)"}"#)
                    for token in [directories.a.directory.token, directories.b.directory.token] {
                        let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
                        let response = try await directories.client.execute(uri: path, method: route.method, headers: headers, body: body)
                        #expect(response.status == .unauthorized, "\(route)")
                        #expect(try response.json()["error"]?["status"]?.intValue == 401, "\(route)")
                        DirectoryIsolationTests.expectNothingOf(directories.a, in: response, route)
                        DirectoryIsolationTests.expectNothingOf(directories.b, in: response, route)
                    }
                    if route.method == .get {
                        let control = try await directories.client.execute(
                            uri: path,
                            method: .get,
                            headers: [.authorization: "Bearer \(extras.apiKey)"]
                        )
                        #expect(control.status == .ok, "\(route) answers an API key, so the 401s above are the token's doing")
                    }
                }
                #expect(try await StoreSnapshot.read(directories.store) == before, "no manual member was added or removed")
            }
        }

        @Test("SCIM has no event route: /Events under A's base path is a SCIM 404 that shows no event")
        func scimHasNoEventRoute() async throws {
            try await TwoDirectories.run { directories in
                for path in ["/Events", "/Events/1", "/events?after=0", "/Outbox"] {
                    let response = try await directories.a.okta.send(.get, path)
                    try expectSCIMError(response, status: 404)
                    #expect(!response.bodyText.contains("user.created"), "\(path)")
                    DirectoryIsolationTests.expectNothingOf(directories.b, in: response, path)
                }
            }
        }

        @Test("Every settings page and form sends a SCIM token, as a bearer header or as the session cookie, to sign-in")
        func settingsRefuseDirectoryTokens() async throws {
            let routes = try RouteTable.application()
            let settings = routes.routes(under: RouteTable.settingsRoot, methods: [.get, .post])
            #expect(settings.count > 20, "\(settings)")
            try await TwoDirectories.run { directories in
                let extras = try await Extras.add(to: directories.store)
                let before = try await StoreSnapshot.read(directories.store)
                let token = directories.a.directory.token
                let admin = try await SettingsBrowser.signIn(directories.client, store: directories.store)
                let csrf = try await admin.csrfToken()
                for route in settings {
                    let path = try #require(RouteTable.path(route.template, Self.parameters(directories, extras, template: route.template)))
                    let credentials: [HTTPFields] = [
                        [.authorization: "Bearer \(token)"], [.cookie: "roster_session=\(token)"],
                        [.authorization: "Bearer \(token)", .cookie: "roster_session=\(token)"],
                    ]
                    for var headers in credentials {
                        headers[.contentType] = "application/x-www-form-urlencoded"
                        let body = ByteBuffer(
                            string: "csrf=\(csrf)&name=Intruder&confirmName=Directory+A&groupName=Intruders&url=https://evil.example"
                        )
                        let response = try await directories.client.execute(uri: path, method: route.method, headers: headers, body: body)
                        #expect(response.status == .seeOther, "\(route) with \(headers)")
                        #expect(response.headers[.location] == "/auth/sign-in", "\(route)")
                        DirectoryIsolationTests.expectNothingOf(directories.a, in: response, route)
                        DirectoryIsolationTests.expectNothingOf(directories.b, in: response, route)
                        #expect(!response.bodyText.contains("Directory A"), "\(route)")
                    }
                    if route.method == .get {
                        let control = try await admin.get(path)
                        #expect(control.status == .ok, "\(route) is a page an admin session sees: \(control.bodyText.prefix(300))")
                    }
                }
                #expect(try await StoreSnapshot.read(directories.store) == before, "no form did anything")
            }
        }
    }
}
