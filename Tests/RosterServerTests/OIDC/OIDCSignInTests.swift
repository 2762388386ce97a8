import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterTestSupport
import Testing

@testable import RosterServer

/// Sign-in with the identity provider through the routes: the button, `/auth/oidc/start`, and every way the callback
/// can end (against ``FakeOIDCProvider``; scripts/oidc.sh runs the same against a real provider process).
@Suite("OIDC sign-in")
struct OIDCSignInTests {
    let fake = FakeOIDCProvider()
    let store: SQLiteStore

    init() throws {
        store = try SQLiteStore.inMemory()
    }

    var configuration: ServerConfiguration {
        var configuration = settingsConfiguration()
        configuration.oidc = fake.settings
        return configuration
    }

    func withApp(_ configuration: ServerConfiguration? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws
    {
        let router = buildRouter(configuration: configuration ?? self.configuration, store: store, logger: testLogger(), oidcTransport: fake)
        let app = Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)), logger: testLogger())
        try await app.test(.router) { client in try await body(client) }
    }

    /// A browser's sign-in under way: its flow cookie and the provider URL it was sent to.
    struct Started {
        var cookie: String
        var authorizationURL: String
    }

    func start(_ client: any TestClientProtocol) async throws -> Started {
        let response = try await client.execute(uri: "/auth/oidc/start", method: .get)
        #expect(response.status == .seeOther)
        let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("roster_oidc=") })
        return Started(cookie: String(setCookie.prefix { $0 != ";" }), authorizationURL: try #require(response.headers[.location]))
    }

    func callback(_ client: any TestClientProtocol, _ query: [String: String], cookie: String?) async throws -> TestResponse {
        let encoded = query.sorted { $0.key < $1.key }.map { "\($0.key)=\(SettingsPaths.queryValue($0.value))" }.joined(separator: "&")
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: "/auth/oidc/callback?" + encoded, method: .get, headers: headers)
    }

    func expectPage(_ response: TestResponse, _ status: HTTPResponse.Status, heading: String) {
        #expect(response.status == status)
        let body = String(buffer: response.body)
        #expect(body.contains("<h1>\(heading)</h1>"), "\(body.prefix(400))")
        #expect(SettingsBrowser.sessionCookie(in: response) == nil, "no session on a failed sign-in")
    }

    @Test func theSignInPageOffersTheProviderAndNamesTheRedirectURI() async throws {
        try await withApp { client in
            let page = String(buffer: try await client.execute(uri: "/auth/sign-in", method: .get).body)
            #expect(page.contains(#"<a id="oidc-sign-in" class="button" href="/auth/oidc/start">Sign in with Okta</a>"#))
            #expect(page.contains("\(testBaseURL)/auth/oidc/callback"))
            #expect(page.contains("roster login-link"), "the sign-in link stays for bootstrap and recovery")
        }
        try await withApp(settingsConfiguration()) { client in
            let page = String(buffer: try await client.execute(uri: "/auth/sign-in", method: .get).body)
            #expect(!page.contains("oidc-sign-in"))
            #expect(try await client.execute(uri: "/auth/oidc/start", method: .get).status == .notFound)
        }
    }

    @Test func startSendsTheBrowserToTheProviderWithItsSignInInACookie() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/auth/oidc/start", method: .get)
            let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("roster_oidc=") })
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/auth/oidc"))
            let query = try FakeOIDCProvider.queryItems(try #require(response.headers[.location]))
            #expect(query["redirect_uri"] == "\(testBaseURL)/auth/oidc/callback")
            #expect(query["code_challenge_method"] == "S256" && query["code_challenge"]?.count == 43)
            let other = try await start(client)
            #expect(try FakeOIDCProvider.queryItems(other.authorizationURL)["state"] != query["state"], "every sign-in has its own state")
        }
    }

    @Test func anAdminSignsInAndGetsASession() async throws {
        try await withApp { client in
            let started = try await start(client)
            let response = try await callback(client, try fake.approve(started.authorizationURL, as: "ADMIN@example.com"), cookie: started.cookie)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/settings/organization/dsync")
            #expect(response.headers[values: .setCookie].contains { $0.hasPrefix("roster_oidc=;") }, "the flow cookie is cleared")
            let browser = SettingsBrowser(client: client, cookie: try #require(SettingsBrowser.sessionCookie(in: response)))
            let page = try await browser.get("/settings/organization/dsync")
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("ADMIN@example.com"))
        }
    }

    /// Behind a load balancer the provider's callback may reach another replica than the start: the pending sign-in
    /// is in the shared store, and is still finished only once.
    @Test func aSignInStartedOnOneReplicaFinishesOnAnother() async throws {
        try await withApp { first in
            try await withApp { second in
                let started = try await start(first)
                let approved = try fake.approve(started.authorizationURL, as: testAdmin)
                let response = try await callback(second, approved, cookie: started.cookie)
                #expect(response.status == .seeOther)
                let browser = SettingsBrowser(client: first, cookie: try #require(SettingsBrowser.sessionCookie(in: response)))
                #expect(try await browser.get("/settings/organization/dsync").status == .ok, "the session works on the first replica")
                expectPage(try await callback(first, approved, cookie: started.cookie), .badRequest, heading: "Sign-in expired")
            }
        }
    }

    @Test func someoneNotInSAMLAdminsIsRefused() async throws {
        try await withApp { client in
            let started = try await start(client)
            let response = try await callback(client, try fake.approve(started.authorizationURL, as: "intruder@example.com"), cookie: started.cookie)
            expectPage(response, .forbidden, heading: "Not an admin")
            #expect(String(buffer: response.body).contains("intruder@example.com is not listed in SAML_ADMINS"))
        }
    }

    @Test func signInsAndRefusalsAreInTheAuditTrailButBareCallbacksAreNot() async throws {
        try await withApp { client in
            let admin = try await start(client)
            _ = try await callback(client, try fake.approve(admin.authorizationURL, as: testAdmin), cookie: admin.cookie)
            let intruder = try await start(client)
            _ = try await callback(client, try fake.approve(intruder.authorizationURL, as: "intruder@example.com"), cookie: intruder.cookie)
            let denied = try await start(client)
            _ = try await callback(client, ["error": "access_denied"], cookie: denied.cookie)
            for _ in 0..<5 {
                _ = try await callback(client, ["error": "access_denied"], cookie: nil)
            }
            let entries = try await store.auditEntries(AuditQuery(cursor: .after(0), limit: 100)).map(\.entry)
            #expect(entries.map(\.action) == [.signedIn, .signInFailed, .signInFailed], "a callback without a sign-in records nothing")
            #expect(entries[0].actor.name == testAdmin && entries[0].after == ["method": "oidc"])
            #expect(entries[1].actor.name == "intruder@example.com" && entries[1].after == ["method": "oidc", "reason": "not_admin"])
            #expect(entries[2].actor.name == "unknown" && entries[2].after == ["method": "oidc", "reason": "provider_refused"])
        }
    }

    @Test func anUnverifiedEmailIsRefused() async throws {
        fake.editClaims = { $0.email_verified = false }
        try await withApp { client in
            let started = try await start(client)
            let response = try await callback(client, try fake.approve(started.authorizationURL, as: testAdmin), cookie: started.cookie)
            expectPage(response, .forbidden, heading: "Email not verified")
        }
    }

    @Test func aWrongStateMissingCookieOrReplayIsRefused() async throws {
        try await withApp { client in
            let started = try await start(client)
            var query = try fake.approve(started.authorizationURL, as: testAdmin)
            let state = query["state"]
            query["state"] = "not-the-state"
            expectPage(try await callback(client, query, cookie: started.cookie), .badRequest, heading: "Sign-in could not be verified")
            // The failed attempt used the sign-in up: the right state no longer helps.
            query["state"] = state
            expectPage(try await callback(client, query, cookie: started.cookie), .badRequest, heading: "Sign-in expired")

            let again = try await start(client)
            let approved = try fake.approve(again.authorizationURL, as: testAdmin)
            expectPage(try await callback(client, approved, cookie: nil), .badRequest, heading: "Sign-in expired")
            let other = try await start(client)
            expectPage(try await callback(client, approved, cookie: other.cookie), .badRequest, heading: "Sign-in could not be verified")

            let fresh = try await start(client)
            let good = try fake.approve(fresh.authorizationURL, as: testAdmin)
            #expect(try await callback(client, good, cookie: fresh.cookie).status == .seeOther)
            expectPage(try await callback(client, good, cookie: fresh.cookie), .badRequest, heading: "Sign-in expired")
        }
    }

    @Test func aReplayedCodeIsRefusedByTheProvider() async throws {
        try await withApp { client in
            let first = try await start(client)
            let approved = try fake.approve(first.authorizationURL, as: testAdmin)
            #expect(try await callback(client, approved, cookie: first.cookie).status == .seeOther)
            let second = try await start(client)
            let state = try FakeOIDCProvider.queryItems(second.authorizationURL)["state"] ?? ""
            let response = try await callback(client, ["code": approved["code"] ?? "", "state": state], cookie: second.cookie)
            expectPage(response, .badRequest, heading: "Sign-in failed")
        }
    }

    @Test func aTamperedIDTokenIsRefused() async throws {
        fake.editToken = { token in
            // Swap the payload for one that names another email; the signature no longer matches.
            var parts = token.split(separator: ".").map(String.init)
            var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while payload.count % 4 != 0 { payload += "=" }
            let json = String(decoding: Data(base64Encoded: payload) ?? Data(), as: UTF8.self)
                .replacingOccurrences(of: "someone@example.com", with: "admin@example.com")
            parts[1] = Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            return parts.joined(separator: ".")
        }
        try await withApp { client in
            let started = try await start(client)
            let response = try await callback(client, try fake.approve(started.authorizationURL, as: "someone@example.com"), cookie: started.cookie)
            expectPage(response, .badRequest, heading: "Sign-in could not be verified")
        }
    }

    @Test func aDeclinedConsentOrAnUnreachableProviderEndsOnAClearPage() async throws {
        try await withApp { client in
            let started = try await start(client)
            let declined = try await callback(
                client,
                ["error": "access_denied", "error_description": "User <b>declined</b>", "state": "x"],
                cookie: started.cookie
            )
            expectPage(declined, .forbidden, heading: "Sign-in was cancelled")
            #expect(!String(buffer: declined.body).contains("<b>declined"), "the provider's text is escaped")

            let later = try await start(client)
            let approved = try fake.approve(later.authorizationURL, as: testAdmin)
            fake.reachable = false
            expectPage(try await callback(client, approved, cookie: later.cookie), .badGateway, heading: "Cannot reach Okta")
        }
    }
}
