import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import Testing

extension SecurityTests {
    /// Whatever an identity provider sends is shown as text on every settings page. For each of the two
    /// ``HostilePayload``s, Okta-shaped pushes carry it in every attribute a page can show (userName, displayName,
    /// name.givenName and familyName, emails, externalId, group displayName, a member id that is no user, a filter,
    /// an unknown id), an admin maps a team to the hostile group name through the form, and then every GET page under
    /// the settings root that the router lists is rendered: the raw markup never appears, and the escaped text of each
    /// field the page shows does, which proves the page rendered it.
    @Suite("HTML escaping")
    struct HTMLEscapingTests {
        /// What the pushes of one payload made.
        struct Pushed: Sendable {
            /// The payload every pushed string carries.
            var payload: HostilePayload
            /// The directory they were pushed to (its name carries the payload too).
            var directory: TestDirectory
            /// The user with a `displayName` (shown instead of its given and family names).
            var displayUserID: String
            /// The user without a `displayName`, so that its given and family names are shown.
            var namedUserID: String
            /// The team an admin mapped to the hostile group name.
            var teamSlug: String
        }

        /// A page to render and the labels of the fields it must show (escaped).
        struct Page: Sendable {
            /// The path.
            var path: String
            /// The labels (see ``HostilePayload/value(_:)``) whose escaped values the page shows.
            var labels: [String]
        }

        /// Pushes `payload` in everything an IdP can send, as Okta sends it, and maps a team to the hostile group.
        static func push(_ payload: HostilePayload, browser: SettingsBrowser, store: SQLiteStore) async throws -> Pushed {
            let directory = try await browser.configureDirectory(name: payload.value("directory"))
            let okta = try OktaReplayTests.okta(browser.client, directory)
            let displayUser = OktaBodies.User(
                userName: payload.value("userName"),
                givenName: payload.value("hiddenGivenName"),
                familyName: payload.value("hiddenFamilyName"),
                email: payload.value("email"),
                displayName: payload.value("displayName"),
                externalId: payload.value("externalId")
            )
            let namedUser = OktaBodies.User(
                userName: payload.value("userName2"),
                givenName: payload.value("givenName"),
                familyName: payload.value("familyName"),
                email: payload.value("email2"),
                displayName: nil,
                externalId: payload.value("externalId2")
            )
            var ids: [String] = []
            for user in [displayUser, namedUser] {
                let response = try await okta.send(.post, "/Users", body: OktaBodies.user(user))
                #expect(response.status == .created, "\(response.bodyText)")
                ids.append(try #require(try response.json()["id"]?.stringValue))
            }
            let group = try await okta.send(
                .post,
                "/Groups",
                body: OktaBodies.group(displayName: payload.value("group"), members: [(ids[0], displayUser.userName), (ids[1], namedUser.userName)])
            )
            #expect(group.status == .created, "\(group.bodyText)")
            let groupID = try #require(try group.json()["id"]?.stringValue)
            let ghost = OktaBodies.patch([OktaBodies.addMembers([(payload.value("memberValue"), payload.value("memberDisplay"))])])
            let added = try await okta.send(.patch, "/Groups/\(groupID)", body: ghost)
            #expect((200..<300).contains(added.status.code), "\(added.bodyText)")

            let root = RouteTable.settingsRoot
            _ = try await browser.submit(root + "/teams", [("name", payload.value("team"))])
            let team = try #require(try await store.teams().first { $0.name == payload.value("team") })
            let mapped = try await browser.submit(root + "/teams/\(team.slug)/groups", [("groupName", payload.value("group"))]).bodyText
            #expect(mapped.contains(HostilePayload.escaped("2 members of \(payload.value("group")) joined \(payload.value("team")).")), "\(mapped)")
            #expect(!mapped.contains(payload.markup))

            let unknown = try await okta.send(.get, "/Users/" + SettingsBrowser.encode(payload.value("userID")))
            try expectSCIMError(unknown, status: 404)
            let filter = SettingsBrowser.encode("userName eq \"\(payload.value("filter"))\"")
            _ = try await okta.send(.get, "/Users?filter=" + filter)
            return Pushed(payload: payload, directory: directory, displayUserID: ids[0], namedUserID: ids[1], teamSlug: team.slug)
        }

        /// The pages of each GET route under the settings root, for one payload's pushes.
        static func pages(_ pushed: Pushed, webhookID: String) -> [String: [Page]] {
            let root = RouteTable.settingsRoot
            let directory = root + "/directories/" + pushed.directory.id
            let search = SettingsBrowser.encode(pushed.payload.value("search"))
            return [
                root: [Page(path: root, labels: ["directory", "team", "group", "filter"])],
                root + "/new": [Page(path: root + "/new", labels: [])],
                root + "/directories/{directoryID}": [Page(path: directory, labels: ["directory", "memberValue", "filter"])],
                root + "/directories/{directoryID}/users": [
                    Page(
                        path: directory + "/users",
                        labels: ["directory", "userName", "displayName", "email", "userName2", "givenName", "familyName", "email2", "team"]
                    ),
                    Page(path: directory + "/users?q=" + search, labels: ["directory", "search"]),
                ],
                root + "/directories/{directoryID}/users/{userID}": [
                    Page(
                        path: directory + "/users/" + pushed.displayUserID,
                        labels: ["directory", "userName", "displayName", "email", "group", "team"]
                    ),
                    Page(
                        path: directory + "/users/" + pushed.namedUserID,
                        labels: ["userName2", "givenName", "familyName", "email2", "group", "team"]
                    ),
                ],
                root + "/directories/{directoryID}/groups": [
                    Page(path: directory + "/groups", labels: ["directory", "group", "team"]),
                    Page(path: directory + "/groups?q=" + search, labels: ["search"]),
                ],
                root + "/directories/{directoryID}/requests": [Page(path: directory + "/requests", labels: ["directory", "filter", "userID"])],
                root + "/teams/{slug}": [Page(path: root + "/teams/" + pushed.teamSlug, labels: ["team", "group", "userName", "userName2"])],
                root + "/webhooks": [Page(path: root + "/webhooks", labels: [])],
                root + "/webhooks/{webhookID}": [Page(path: root + "/webhooks/" + webhookID, labels: [])],
                root + "/api-keys": [Page(path: root + "/api-keys", labels: [])],
                root + "/audit": [Page(path: root + "/audit", labels: ["directory", "team", "group"])],
            ]
        }

        /// Asserts that `html` carries no payload's markup.
        static func expectNoMarkup(_ html: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
            for payload in HostilePayload.allCases {
                #expect(!html.contains(payload.markup), "\(what) carries \(payload)'s markup", sourceLocation: sourceLocation)
                #expect(!html.contains(payload.rawValue), "\(what) carries the raw \(payload) payload", sourceLocation: sourceLocation)
            }
        }

        @Test("Every settings page shows what an IdP sent as escaped text, never as markup")
        func everyPageEscapesWhatTheIdentityProviderSent() async throws {
            let routes = try RouteTable.application().routes(under: RouteTable.settingsRoot, methods: [.get])
            try await withSettingsApp { client, store in
                let browser = try await SettingsBrowser.signIn(client, store: store)
                let webhook = try await store.createWebhookEndpoint(url: "https://app.example.com/hooks", eventTypes: [], secret: "whsec_test")
                var pushes: [Pushed] = []
                for payload in HostilePayload.allCases {
                    pushes.append(try await Self.push(payload, browser: browser, store: store))
                }
                for route in routes {
                    for pushed in pushes {
                        guard let pages = Self.pages(pushed, webhookID: webhook.id)[route.template] else {
                            Issue.record("\(route) is a new settings page: add what it shows to HTMLEscapingTests.pages")
                            continue
                        }
                        for page in pages {
                            let response = try await browser.get(page.path)
                            #expect(response.status == .ok, "\(page.path)")
                            let html = response.bodyText
                            Self.expectNoMarkup(html, page.path)
                            for label in page.labels {
                                let escaped = HostilePayload.escaped(pushed.payload.value(label))
                                #expect(html.contains(escaped), "\(page.path) does not show \(label) (\(pushed.payload)) as \(escaped)")
                            }
                        }
                    }
                }
            }
        }

        @Test("Error pages that repeat a path or a name show it as text")
        func errorPagesEscapeWhatTheyRepeat() async throws {
            try await withSettingsApp { client, store in
                let browser = try await SettingsBrowser.signIn(client, store: store)
                let directory = try await browser.configureDirectory(name: "Okta")
                let root = RouteTable.settingsRoot
                for payload in HostilePayload.allCases {
                    let text = SettingsBrowser.encode(payload.value("path"))
                    let paths = [
                        root + "/" + text, root + "/directories/" + text, root + "/directories/\(directory.id)/users/" + text,
                        root + "/teams/" + text, root + "/webhooks/" + text,
                    ]
                    for path in paths {
                        let response = try await browser.get(path)
                        #expect(response.status == .notFound, "\(path)")
                        Self.expectNoMarkup(response.bodyText, path)
                    }
                    let invalid = try await browser.post(root + "/directories", [("name", payload.value("name")), ("provider", payload.rawValue)])
                    #expect(invalid.status == .badRequest)
                    Self.expectNoMarkup(invalid.bodyText, "the directory form shown again")
                    #expect(invalid.bodyText.contains(HostilePayload.escaped(payload.value("name"))), "the form keeps the name typed")
                }
            }
        }
    }
}
