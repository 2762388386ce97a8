import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterTestSupport
import Testing

@testable import RosterServer

/// The settings pages: directories, credentials, team mapping feedback, users, groups, teams, CSRF and escaping.
@Suite struct SettingsPagesTests {
    @Test func everyTemplateParses() {
        let problems = PageRenderer().problems
        #expect(problems.isEmpty, "\(problems)")
        #expect(EmbeddedAssets.templates.count >= 10)
    }

    @Test func formsWithoutTheSessionsCSRFTokenAreRefused() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let other = try await SettingsBrowser.signIn(client, store: store)
            let otherToken = try await other.csrfToken()
            for csrf: String? in [nil, "", "forged", otherToken] {
                let response = try await browser.post("/settings/organization/dsync/teams", [("name", "Platform")], csrf: csrf)
                #expect(response.status == .forbidden, "csrf \(String(describing: csrf))")
                #expect(response.bodyText.contains("Form expired"))
                let directory = try await browser.post(
                    "/settings/organization/dsync/directories",
                    [("name", "Okta"), ("provider", "okta")],
                    csrf: csrf
                )
                #expect(directory.status == .forbidden)
            }
            #expect(try await store.teams().isEmpty)
            #expect(try await store.directories().isEmpty)
            let accepted = try await browser.post("/settings/organization/dsync/teams", [("name", "Platform")])
            #expect(accepted.status == .seeOther)
            #expect(try await store.teams().map(\.name) == ["Platform"])
        }
    }

    @Test func configuringADirectoryShowsItsTokenOnceAndTheTokenWorks() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let empty = try await browser.get("/settings/organization/dsync").bodyText
            #expect(empty.contains(#"id="configure-directory" class="button" href="/settings/organization/dsync/new">Configure</a>"#))
            let form = try await browser.get("/settings/organization/dsync/new").bodyText
            for provider in ["Okta SCIM v2.0", "Azure SCIM v2.0", "OneLogin SCIM v2.0", "JumpCloud v2.0", "Generic SCIM v2.0"] {
                #expect(form.contains(">\(provider)</option>"))
            }

            let directory = try await browser.configureDirectory(name: "Okta")
            let stored = try #require(try await store.directory(id: directory.id))
            #expect(stored.name == "Okta")
            #expect(stored.provider == .okta)
            let scim = try await client.scim(.get, "/Users?count=1", in: directory)
            #expect(scim.status == .ok, "the token the page showed authenticates")

            let again = try await browser.get("/settings/organization/dsync/directories/\(directory.id)").bodyText
            #expect(!again.contains(directory.token), "the token is shown once")
            #expect(again.contains(#"id="scim-bearer-token-masked""#))
            #expect(again.contains(#"id="scim-base-url" readonly value="\#(directory.baseURL)""#))
        }
    }

    @Test func azureDirectoriesShowTheCompatibilityFlag() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let directory = try await browser.configureDirectory(name: "Entra", provider: "azure")
            let page = try await browser.get("/settings/organization/dsync/directories/\(directory.id)").bodyText
            #expect(page.contains(#"value="\#(directory.baseURL)?aadOptscim062020""#))
        }
    }

    @Test func anInvalidDirectoryFormIsShownAgainWithTheProblem() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let blank = try await browser.post("/settings/organization/dsync/directories", [("name", "  "), ("provider", "okta")])
            #expect(blank.status == .badRequest)
            #expect(blank.bodyText.contains("Give the directory a name."))
            let provider = try await browser.post("/settings/organization/dsync/directories", [("name", "X"), ("provider", "ldap")])
            #expect(provider.status == .badRequest)
            #expect(provider.bodyText.contains("Choose a Directory Provider"))
            #expect(try await store.directories().isEmpty)
        }
    }

    @Test func regeneratingTheTokenStopsTheOldOneAtOnce() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let directory = try await browser.configureDirectory(name: "Okta")
            let page = try await browser.submit("/settings/organization/dsync/directories/\(directory.id)/token", []).bodyText
            let newToken = try #require(page.firstCapture(of: #/id="scim-bearer-token" readonly value="([^"]+)"/#))
            #expect(newToken != directory.token)
            #expect(page.flashText?.contains("no longer works") == true)
            #expect(try await client.scim(.get, "/Users", in: directory).status == .unauthorized)
            #expect(try await client.scim(.get, "/Users", in: TestDirectory(id: directory.id, token: newToken)).status == .ok)
        }
    }

    @Test func deletingADirectoryNeedsItsNameTyped() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let directory = try await browser.configureDirectory(name: "Okta prod")
            let path = "/settings/organization/dsync/directories/\(directory.id)"
            let refused = try await browser.submit(path + "/delete", [("confirmName", "okta prod")])
            #expect(refused.bodyText.flashText?.hasPrefix("error: Nothing was deleted") == true)
            #expect(try await store.directory(id: directory.id) != nil)
            let deleted = try await browser.submit(path + "/delete", [("confirmName", "Okta prod")])
            #expect(deleted.bodyText.flashText?.hasPrefix("success:") == true)
            #expect(try await store.directory(id: directory.id) == nil)
            #expect(try await client.scim(.get, "/Users", in: directory).status == .unauthorized)
        }
    }

    @Test func addingGroupNamesSaysWhatHappened() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let directory = try await browser.configureDirectory(name: "Okta")
            var members: [String] = []
            for name in ["alice", "bob", "carol"] {
                members.append(try await client.createUser(named: "\(name)@example.com", in: directory))
            }
            _ = try await client.createGroup(named: "Engineering", members: members, in: directory)
            _ = try await browser.submit("/settings/organization/dsync/teams", [("name", "Platform")])
            let add = "/settings/organization/dsync/teams/platform/groups"

            let wrongCase = try await browser.submit(add, [("groupName", "engineering")]).bodyText
            #expect(wrongCase.flashText?.contains("Did you mean “Engineering”? (case differs)") == true, "\(wrongCase.flashText ?? "")")
            let typo = try await browser.submit(add, [("groupName", "Enginering")]).bodyText
            #expect(typo.flashText?.contains("No group named “Enginering” has been pushed yet") == true)
            let exact = try await browser.submit(add, [("groupName", " Engineering ")]).bodyText
            #expect(exact.flashText == "success: 3 members of Engineering joined Platform.")
            let duplicate = try await browser.submit(add, [("groupName", "Engineering")]).bodyText
            #expect(duplicate.flashText?.contains("Group name already added") == true)

            #expect(exact.contains(#"<span class="group-chip-name wrap">Engineering</span>"#))
            #expect(try await store.teamMembers("platform").count == 3)

            let removed = try await browser.submit(add + "/remove", [("groupName", "Engineering")]).bodyText
            #expect(removed.flashText?.hasPrefix("success:") == true)
            #expect(try await store.teamMembers("platform").isEmpty)
            #expect(try await store.mappings(team: "platform").map(\.groupName) == ["engineering", "Enginering"])
        }
    }

    @Test func teamsAreCreatedRenamedAndDeletedHere() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            _ = try await browser.submit("/settings/organization/dsync/teams", [("name", "Platform")])
            let duplicate = try await browser.submit("/settings/organization/dsync/teams", [("name", "platform")]).bodyText
            #expect(duplicate.flashText?.hasPrefix("error: No team was created") == true)
            let renamed = try await browser.submit("/settings/organization/dsync/teams/platform/rename", [("name", "Platform Eng")]).bodyText
            #expect(renamed.contains("<h1 class=\"wrap\">Platform Eng</h1>"))
            #expect(try await store.team("platform")?.name == "Platform Eng")
            _ = try await browser.submit("/settings/organization/dsync/teams/platform/delete", [])
            #expect(try await store.teams().isEmpty)
            let gone = try await browser.get("/settings/organization/dsync/teams/platform")
            #expect(gone.status == .notFound)
        }
    }

    @Test func anUnknownSettingsPathAndAnOversizedFormEndOnTheirOwnPages() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let missing = try await browser.get("/settings/organization/dsync/no-such-page")
            #expect(missing.status == .notFound)
            #expect(missing.bodyText.contains("There is no settings page at /settings/organization/dsync/no-such-page."))
            let oversized = String(repeating: "x", count: 70_000)
            let large = try await browser.post("/settings/organization/dsync/teams", [("name", oversized)])
            #expect(large.status == .contentTooLarge)
            #expect(large.bodyText.contains("Form too large"))
            #expect(try await store.teams().isEmpty)
            let stranger = try await client.execute(uri: "/settings/organization/dsync/no-such-page", method: .get)
            #expect(stranger.status == .seeOther)
            #expect(stranger.headers[.location] == "/auth/sign-in")
        }
    }

    @Test func usersGroupsTeamAndUserPagesShowMembershipsAndTheirSources() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let directory = try await browser.configureDirectory(name: "Okta")
            let alice = try await client.createUser(named: "alice@example.com", in: directory)
            let bob = try await client.createUser(named: "bob@example.com", in: directory)
            _ = try await client.createGroup(named: "Engineering", members: [alice, bob], in: directory)
            _ = try await client.createGroup(named: "Sales", members: [bob], in: directory)
            _ = try await browser.submit("/settings/organization/dsync/teams", [("name", "Platform")])
            _ = try await browser.submit("/settings/organization/dsync/teams/platform/groups", [("groupName", "Engineering")])
            let deactivate =
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
            #expect(try await client.scim(.patch, "/Users/\(bob)", in: directory, body: deactivate).status == .ok)

            let base = "/settings/organization/dsync/directories/\(directory.id)"
            let users = try await browser.get(base + "/users").bodyText
            #expect(users.contains("2 users"))
            #expect(users.contains(#"<td class="user-teams wrap">Platform</td>"#))
            #expect(users.contains(#"<span class="badge badge-deactivated">deactivated</span>"#))
            let search = try await browser.get(base + "/users?q=ALI").bodyText
            #expect(search.contains("1 user matches “ALI”"))
            #expect(!search.contains("bob@example.com"))

            let user = try await browser.get(base + "/users/\(alice)").bodyText
            #expect(
                user.contains(#"<span class="team-name wrap">Platform</span></a> — <span class="membership-source wrap">group Engineering</span>"#)
            )
            #expect(user.contains(#"<li class="user-group wrap">Engineering</li>"#))

            let groups = try await browser.get(base + "/groups").bodyText
            #expect(groups.contains(#"<td class="group-name wrap">Engineering</td>"#))
            #expect(groups.contains(#"<td class="member-count">2</td>"#))
            #expect(groups.contains(#"<td class="group-teams wrap">Platform</td>"#))

            let team = try await browser.get("/settings/organization/dsync/teams/platform").bodyText
            #expect(team.contains("1 member"), "bob is deactivated, so suspended")
            #expect(team.contains(#"<td class="member-source wrap">group Engineering</td>"#))
            #expect(team.contains("alice@example.com") && team.contains("bob@example.com"))

            let status = try await browser.get(base).bodyText
            #expect(status.text(ofElementWithID: "active-users") == "1")
            #expect(status.text(ofElementWithID: "inactive-users") == "1")
            #expect(status.text(ofElementWithID: "group-count") == "2")
        }
    }

    @Test func usersArePaginated() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let directory = try await browser.configureDirectory(name: "Okta")
            for index in 0..<52 {
                _ = try await client.createUser(named: "user\(String(format: "%02d", index))@example.com", in: directory)
            }
            let base = "/settings/organization/dsync/directories/\(directory.id)/users"
            let first = try await browser.get(base).bodyText
            #expect(first.contains("Page 1 of 2"))
            #expect(first.contains("user49@example.com") && !first.contains("user50@example.com"))
            let second = try await browser.get(base + "?page=2").bodyText
            #expect(second.contains("user50@example.com") && second.contains("user51@example.com"))
            #expect(!second.contains("user00@example.com"))
        }
    }

    @Test func everythingAnIdPSendsIsEscaped() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let directory = try await browser.configureDirectory(name: "<img src=x onerror=alert(2)>")
            let script = "<script>alert(1)</script>"
            let user = try await client.createUser(named: "\\\"><script>alert(3)</script>@example.com", in: directory)
            _ = try await client.createGroup(named: script, members: [user], in: directory)
            _ = try await browser.submit("/settings/organization/dsync/teams", [("name", "<b>Bold</b>")])
            let slug = try #require(try await store.teams().first?.slug)
            _ = try await browser.submit("/settings/organization/dsync/teams/\(slug)/groups", [("groupName", script)])

            let base = "/settings/organization/dsync/directories/\(directory.id)"
            let pages = [
                "/settings/organization/dsync", base, base + "/groups", base + "/users", base + "/users/\(user)",
                "/settings/organization/dsync/teams/\(slug)",
            ]
            for path in pages {
                let page = try await browser.get(path).bodyText
                #expect(!page.contains("<script>alert"), "\(path)")
                #expect(!page.contains("<img src=x"), "\(path)")
                #expect(!page.contains("<b>Bold"), "\(path)")
            }
            let groups = try await browser.get(base + "/groups").bodyText
            #expect(groups.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let overview = try await browser.get("/settings/organization/dsync").bodyText
            #expect(overview.contains("&lt;img src=x onerror=alert(2)&gt;"))
            #expect(overview.contains(#"<span class="group-chip-name wrap">&lt;script&gt;alert(1)&lt;/script&gt;</span>"#))
        }
    }

    @Test func pagesCarryAStrictContentSecurityPolicy() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let page = try await browser.get("/settings/organization/dsync")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(page.headers[.cacheControl] == "no-store")
            let css = try await client.execute(uri: "/static/roster.css", method: .get)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.bodyText.contains(".wrap"))
            #expect(try await client.execute(uri: "/static/nope.css", method: .get).status == .notFound)
        }
    }

    @Test func theRequestLogShowsRecentRequestsWithoutSecrets() async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let directory = try await browser.configureDirectory(name: "Okta")
            let wrong = TestDirectory(id: directory.id, token: "not-the-token")
            #expect(try await client.scim(.get, "/Users?filter=userName+eq+%22a%40b.c%22&access_token=s3cret", in: wrong).status == .unauthorized)
            _ = try await client.createUser(named: "alice@example.com", in: directory)
            let log = try await browser.get("/settings/organization/dsync/directories/\(directory.id)/requests").bodyText
            #expect(log.contains(#"<td class="request-status">401</td>"#))
            #expect(log.contains("A valid bearer token for this directory is required."))
            #expect(log.contains(#"<td class="request-status">201</td>"#))
            #expect(log.contains("access_token=[redacted]"))
            #expect(log.contains(#"<code>/Users?filter=userName eq &quot;a@b.c&quot;&amp;access_token=[redacted]</code>"#), "relative, decoded")
            #expect(!log.contains("s3cret"))
            #expect(!log.contains(directory.token))
            let rows = log.components(separatedBy: #"<tr class="request-row"#).count - 1
            #expect(rows == 2)
            let status = try await browser.get("/settings/organization/dsync/directories/\(directory.id)").bodyText
            #expect(status.text(ofElementWithID: "last-request")?.contains("POST /Users → 201") == true)
        }
    }
}
