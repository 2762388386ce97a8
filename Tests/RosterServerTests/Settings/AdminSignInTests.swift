import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import Testing

/// Admin sign-in: one-time links, sessions, cookies, sign-out and the `SAML_ADMINS` check.
@Suite struct AdminSignInTests {
    @Test func settingsPagesSendAnonymousVisitorsToTheSignInPage() async throws {
        try await withSettingsApp { client, _ in
            let response = try await client.execute(uri: "/settings/organization/dsync", method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/auth/sign-in")
            let signIn = try await client.execute(uri: "/auth/sign-in", method: .get)
            #expect(signIn.status == .ok)
            #expect(signIn.bodyText.contains("<h1>Sign in</h1>"))
            #expect(signIn.bodyText.contains("roster login-link"))
        }
    }

    @Test func signInPageExplainsAnEmptyAdminList() async throws {
        try await withSettingsApp(configuration: settingsConfiguration(admins: " , ")) { client, _ in
            let page = try await client.execute(uri: "/auth/sign-in", method: .get).bodyText
            #expect(page.contains("<code>SAML_ADMINS</code> is empty"))
            #expect(page.contains("SAML_ADMINS=you@example.com"))
        }
    }

    @Test func aLoginLinkWorksOnceAndSetsAStrictCookie() async throws {
        try await withSettingsApp { client, store in
            let link = try await AdminAccess(store: store, admins: settingsConfiguration().admins)
                .issueLoginLink(for: "ADMIN@example.com ", baseURL: testBaseURL)
            #expect(link.hasPrefix(testBaseURL + "/auth/login?token="))
            let path = String(link.dropFirst(testBaseURL.count))
            let first = try await client.execute(uri: path, method: .get)
            #expect(first.status == .seeOther)
            let setCookie = try #require(first.headers[values: .setCookie].first { $0.hasPrefix("roster_session=") })
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            #expect(setCookie.contains("Path=/"))
            #expect(setCookie.contains("Secure"), "the test base URL is https")
            let cookie = try #require(SettingsBrowser.sessionCookie(in: first))
            let page = try await client.execute(uri: "/settings/organization/dsync", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok)
            #expect(page.bodyText.contains("admin@example.com"))

            let second = try await client.execute(uri: path, method: .get)
            #expect(second.status == .badRequest)
            #expect(second.bodyText.contains("Sign-in link not valid"))
            #expect(SettingsBrowser.sessionCookie(in: second) == nil)
        }
    }

    @Test func cookiesAreNotSecureOnPlainHTTP() async throws {
        let configuration = ServerConfiguration(port: 0, baseURL: "http://127.0.0.1:3000", admins: AdminAllowList(parsing: testAdmin))
        try await withSettingsApp(configuration: configuration) { client, store in
            let link = try await AdminAccess(store: store, admins: configuration.admins).issueLoginLink(for: testAdmin, baseURL: "")
            let response = try await client.execute(uri: link, method: .get)
            let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("roster_session=") })
            #expect(!setCookie.contains("Secure"))
        }
    }

    @Test func unknownAndMangledLinksAreRefused() async throws {
        try await withSettingsApp { client, _ in
            for path in ["/auth/login", "/auth/login?token=", "/auth/login?token=not-a-token"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .badRequest, "\(path)")
                #expect(SettingsBrowser.sessionCookie(in: response) == nil)
            }
        }
    }

    @Test func linksAreIssuedOnlyForListedAdmins() async throws {
        let store = try SQLiteStore.inMemory()
        let access = AdminAccess(store: store, admins: AdminAllowList(parsing: "a@example.com"))
        await #expect(throws: AdminAccessError.notAnAdmin("eve@example.com")) {
            _ = try await access.issueLoginLink(for: "eve@example.com", baseURL: testBaseURL)
        }
        let empty = AdminAccess(store: store, admins: AdminAllowList(parsing: ""))
        await #expect(throws: AdminAccessError.noAdmins) {
            _ = try await empty.issueLoginLink(for: "a@example.com", baseURL: testBaseURL)
        }
    }

    @Test func aLinkExpiresAfterFifteenMinutes() async throws {
        let clock = TestClock()
        let store = try SQLiteStore.inMemory()
        let access = AdminAccess(store: store, admins: AdminAllowList(parsing: testAdmin), now: { clock.now })
        let expired = try await access.issueLoginLink(for: testAdmin, baseURL: "")
        let fresh = try await access.issueLoginLink(for: testAdmin, baseURL: "")
        clock.advance(by: 15 * 60_000)
        #expect(try await access.signIn(withLinkToken: token(of: expired)) == nil)
        clock.set(clock.now - 1)
        #expect(try await access.signIn(withLinkToken: token(of: fresh)) != nil)
    }

    @Test func sessionsEndWhenIdleOrTooOldAndOnSignOut() async throws {
        let clock = TestClock()
        let store = try SQLiteStore.inMemory()
        let access = AdminAccess(store: store, admins: AdminAllowList(parsing: testAdmin), now: { clock.now })

        let idle = try await access.startSession(email: testAdmin, method: .loginLink)
        clock.advance(by: AdminAccess<SQLiteStore>.idleTimeout - 1)
        #expect(try await access.session(forToken: idle.token) != nil, "used just before the idle limit")
        clock.advance(by: AdminAccess<SQLiteStore>.idleTimeout - 1)
        #expect(try await access.session(forToken: idle.token) != nil, "each use restarts the idle timer")
        clock.advance(by: AdminAccess<SQLiteStore>.idleTimeout + 1)
        #expect(try await access.session(forToken: idle.token) == nil, "idle for too long")

        let busy = try await access.startSession(email: testAdmin, method: .loginLink)
        for _ in 0..<20 {
            clock.advance(by: AdminAccess<SQLiteStore>.sessionLifetime / 20)
            _ = try await access.session(forToken: busy.token)
        }
        #expect(try await access.session(forToken: busy.token) == nil, "past its lifetime, however busy")

        let signedOut = try await access.startSession(email: testAdmin, method: .loginLink)
        try await access.signOut(token: signedOut.token)
        #expect(try await access.session(forToken: signedOut.token) == nil)
    }

    @Test func firstSignInIsRecorded() async throws {
        let store = try SQLiteStore.inMemory()
        let access = AdminAccess(store: store, admins: AdminAllowList(parsing: testAdmin))
        #expect(try await store.hasAnyAdminSignedIn() == false)
        let link = try await access.issueLoginLink(for: testAdmin, baseURL: "")
        #expect(try await store.hasAnyAdminSignedIn() == false, "issuing a link is not signing in")
        _ = try await access.signIn(withLinkToken: token(of: link))
        #expect(try await store.hasAnyAdminSignedIn())
    }

    @Test func aSignedInNonAdminGets403() async throws {
        try await withSettingsApp { client, store in
            // A session for someone not in SAML_ADMINS: what OIDC gives a non-admin, or an admin since removed.
            let started = try await AdminAccess(store: store, admins: settingsConfiguration().admins)
                .startSession(email: "eve@example.com", method: SignInMethod(rawValue: "oidc"))
            let cookie = "roster_session=\(started.token)"
            for path in ["/settings/organization/dsync", "/settings/organization/dsync/new"] {
                let response = try await client.execute(uri: path, method: .get, headers: [.cookie: cookie])
                #expect(response.status == .forbidden, "\(path)")
                #expect(response.bodyText.contains("eve@example.com"))
                #expect(response.bodyText.contains("not listed in SAML_ADMINS"))
            }
            let post = try await client.execute(
                uri: "/settings/organization/dsync/teams",
                method: .post,
                headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "name=Hijack&csrf=\(started.session.csrfToken)")
            )
            #expect(post.status == .forbidden)
            #expect(try await store.teams().isEmpty)
        }
    }

    @Test func signOutEndsTheSessionAndNeedsTheCSRFToken() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let forged = try await browser.post("/auth/sign-out", [], csrf: "wrong")
            #expect(forged.status == .forbidden)
            #expect(try await browser.get("/settings/organization/dsync").status == .ok, "a forged sign-out changes nothing")

            let response = try await browser.post("/auth/sign-out", [])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/auth/sign-in")
            #expect(response.headers[values: .setCookie].contains { $0.hasPrefix("roster_session=;") || $0.contains("Max-Age=0") })
            let after = try await browser.get("/settings/organization/dsync")
            #expect(after.status == .seeOther, "the old cookie no longer works")
        }
    }

    /// The token of a sign-in link.
    private func token(of link: String) -> String {
        String(link.split(separator: "=", maxSplits: 1).last ?? "")
    }
}
