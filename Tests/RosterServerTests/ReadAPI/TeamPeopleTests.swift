import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import SCIM
import Testing

/// Teams are made of people: the users of one email across directories are one member with every source, and every
/// view (team page, read API, counts, `?team=`) says the same about a suspended membership.
@Suite struct TeamPeopleTests {
    /// Two Okta directories that both push Alice (spelt differently) and Bob in a group named Engineering, mapped to
    /// the team Platform for every directory.
    struct Fixture: Sendable {
        var store: SQLiteStore
        var browser: SettingsBrowser
        var first: TestDirectory
        var second: TestDirectory
        var key: String
        var users: [String: String]
        /// The group Engineering of each directory.
        var groups: [String]
    }

    static let deactivate =
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"#

    static func withTwoDirectories(_ body: @Sendable (any TestClientProtocol, Fixture) async throws -> Void) async throws {
        try await withSettingsApp { client, store in
            let browser = try await SettingsBrowser.signIn(client, store: store)
            let first = try await browser.configureDirectory(name: "Okta EU")
            let second = try await browser.configureDirectory(name: "Okta US")
            var users: [String: String] = [:]
            users["alice1"] = try await client.createUser(named: "alice@example.com", in: first)
            users["bob"] = try await client.createUser(named: "bob@example.com", in: first)
            // The second IdP spells her userName differently and has her email in another case.
            let alice = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"asmith",
                 "emails":[{"value":"home@example.org","type":"home"},{"value":"Alice@Example.COM","type":"work","primary":true}]}
                """#
            users["alice2"] = try await client.createUser(alice, in: second)["id"]?.stringValue
            let groups = [
                try await client.createGroup(named: "Engineering", members: [users["alice1"]!, users["bob"]!], in: first),
                try await client.createGroup(named: "Engineering", members: [users["alice2"]!], in: second),
            ]
            _ = try await store.createTeam(name: "Platform", slug: nil)
            _ = try await store.map(team: "Platform", groupName: "Engineering", directoryID: nil)
            let (key, hash) = APIKey.generate()
            _ = try await store.createAPIKey(name: "test", prefix: String(key.prefix(10)), tokenHash: hash)
            try await body(client, Fixture(store: store, browser: browser, first: first, second: second, key: key, users: users, groups: groups))
        }
    }

    static func get(_ client: any TestClientProtocol, _ path: String, key: String) async throws -> JSONValue {
        let response = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(key)"])
        #expect(response.status == .ok, "\(path): \(response.bodyText)")
        return try response.json()
    }

    @Test func onePersonFromTwoDirectoriesIsOneMemberWithTwoSources() async throws {
        try await Self.withTwoDirectories { client, fixture in
            let people = try await Self.get(client, "/api/v1/teams/platform/members", key: fixture.key)["data"]?.arrayValue ?? []
            #expect(people.compactMap { $0["email"]?.stringValue } == ["alice@example.com", "bob@example.com"])
            let alice = try #require(people.first)
            #expect(alice["membership"]?.stringValue == "active")
            let users = alice["users"]?.arrayValue ?? []
            #expect(users.compactMap { $0["id"]?.stringValue } == [fixture.users["alice1"]!, fixture.users["alice2"]!])
            #expect(users.compactMap { $0["directory_id"]?.stringValue } == [fixture.first.id, fixture.second.id])
            #expect(users.compactMap { $0["user_name"]?.stringValue } == ["alice@example.com", "asmith"])
            #expect(users.allSatisfy { $0["sources"]?[0]?["group_name"]?.stringValue == "Engineering" })
            #expect(Set(users.compactMap { $0["sources"]?[0]?["group_id"]?.stringValue }).count == 2, "two groups, one per directory")

            let teams = try await Self.get(client, "/api/v1/teams", key: fixture.key)
            #expect(teams["data"]?[0]?["member_count"]?.intValue == 2, "alice and bob, not three accounts")

            let page = try await fixture.browser.get("/settings/organization/dsync/teams/platform").bodyText
            #expect(page.contains("2 members"))
            #expect(page.components(separatedBy: #"<tbody class="team-person">"#).count - 1 == 2, "one row group a person")
            #expect(page.contains(#"rowspan="2" class="person wrap"><span class="person-label">alice@example.com</span>"#))
            #expect(page.contains(#"<td class="member-directory wrap">Okta EU</td>"#))
            #expect(page.contains(#"<td class="member-directory wrap">Okta US</td>"#))

            let members = try await fixture.store.teamMembers("platform")
            #expect(TeamPerson.grouping(members).map(\.members.count) == [2, 1])
        }
    }

    @Test func countsMemberListsAndTeamFilterAgreeForASuspendedMember() async throws {
        try await Self.withTwoDirectories { client, fixture in
            let bob = fixture.users["bob"]!
            #expect(try await client.scim(.patch, "/Users/\(bob)", in: fixture.first, body: Self.deactivate).status == .ok)
            // Alice is deactivated in one directory only: she is still an active member.
            #expect(try await client.scim(.patch, "/Users/\(fixture.users["alice1"]!)", in: fixture.first, body: Self.deactivate).status == .ok)

            let team = try #require(try await Self.get(client, "/api/v1/teams", key: fixture.key)["data"]?[0])
            #expect(team["member_count"]?.intValue == 1)
            #expect(team["suspended_count"]?.intValue == 1)

            let people = try await Self.get(client, "/api/v1/teams/platform/members", key: fixture.key)["data"]?.arrayValue ?? []
            let membership = Dictionary(
                uniqueKeysWithValues: people.compactMap { person in
                    person["email"]?.stringValue.map { ($0, person["membership"]?.stringValue ?? "") }
                }
            )
            #expect(membership == ["alice@example.com": "active", "bob@example.com": "suspended"])
            #expect(people.filter { $0["membership"]?.stringValue == "active" }.count == team["member_count"]?.intValue)
            #expect(people.filter { $0["membership"]?.stringValue == "suspended" }.count == team["suspended_count"]?.intValue)
            let aliceUsers = people.first?["users"]?.arrayValue ?? []
            #expect(aliceUsers.compactMap { $0["membership"]?.stringValue } == ["suspended", "active"])

            let filtered = try await Self.get(client, "/api/v1/users?team=platform", key: fixture.key)["data"]?.arrayValue ?? []
            #expect(Set(filtered.compactMap { $0["id"]?.stringValue }) == Set(fixture.users.values), "the same users as the member list")
            let bobEntry = try #require(filtered.first { $0["id"]?.stringValue == bob })
            #expect(bobEntry["teams"]?[0]?["slug"]?.stringValue == "platform")
            #expect(bobEntry["teams"]?[0]?["membership"]?.stringValue == "suspended")
            let own = try await Self.get(client, "/api/v1/users/\(bob)", key: fixture.key)
            #expect(own["teams"]?[0]?["membership"]?.stringValue == "suspended", "his own teams say the same")
            let alice2 = try await Self.get(client, "/api/v1/users/\(fixture.users["alice2"]!)", key: fixture.key)
            #expect(alice2["teams"]?[0]?["membership"]?.stringValue == "active")

            let page = try await fixture.browser.get("/settings/organization/dsync/teams/platform").bodyText
            #expect(page.contains("1 member, 1 suspended"))
            #expect(page.contains(#"<span class="badge badge-suspended person-membership">suspended</span>"#))
            let overview = try await fixture.browser.get("/settings/organization/dsync").bodyText
            #expect(overview.contains("1 member, 1 suspended"))
            let overviews = try await fixture.store.teamOverviews()
            #expect(overviews.map(\.memberCount) == [1] && overviews.map(\.suspendedCount) == [1])

            // Reactivated, he counts again everywhere.
            let reactivate =
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}"#
            #expect(try await client.scim(.patch, "/Users/\(bob)", in: fixture.first, body: reactivate).status == .ok)
            let after = try #require(try await Self.get(client, "/api/v1/teams", key: fixture.key)["data"]?[0])
            #expect(after["member_count"]?.intValue == 2 && after["suspended_count"]?.intValue == 0)
        }
    }

    @Test func pagesOfPeopleNeitherRepeatNorSkipAPerson() async throws {
        try await Self.withTwoDirectories { client, fixture in
            var second: [String] = []
            for index in 0..<7 {
                let name = "p\(index)@example.com"
                let id = try await client.createUser(named: name, in: fixture.first)
                let add =
                    #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"\#(id)"}]}]}"#
                #expect(try await client.scim(.patch, "/Groups/\(fixture.groups[0])", in: fixture.first, body: add).status == .noContent)
                if index.isMultiple(of: 2) { second.append(try await client.createUser(named: name.uppercased(), in: fixture.second)) }
            }
            let members = second.map { #"{"value":"\#($0)"}"# }.joined(separator: ",")
            let add =
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[\#(members)]}]}"#
            #expect(try await client.scim(.patch, "/Groups/\(fixture.groups[1])", in: fixture.second, body: add).status == .noContent)
            var emails: [String] = []
            var userCount = 0
            var cursor: String?
            repeat {
                let page = try await Self.get(
                    client,
                    "/api/v1/teams/platform/members?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""),
                    key: fixture.key
                )
                let people = page["data"]?.arrayValue ?? []
                #expect(people.count <= 2)
                emails += people.compactMap { $0["email"]?.stringValue }
                userCount += people.reduce(0) { $0 + ($1["users"]?.arrayValue?.count ?? 0) }
                cursor = page["next_cursor"]?.stringValue
            } while cursor != nil
            #expect(emails.count == 9, "alice, bob and p0…p6")
            #expect(Set(emails).count == emails.count, "no person twice")
            #expect(userCount == 3 + 7 + 4, "every user of every person")
        }
    }

    @Test func aTeamIsNamedByIdSlugOrNameAndAnAmbiguousNameSaysSo() async throws {
        let store = try SQLiteStore.inMemory()
        let platform = try await store.createTeam(name: "Platform Engineering", slug: nil)
        #expect(try await store.team("Platform Engineering")?.id == platform.id)
        #expect(try await store.team("platform engineering")?.id == platform.id, "a name ignoring case")
        #expect(try await store.team("platform-engineering")?.id == platform.id)
        #expect(try await store.team(platform.id)?.id == platform.id)
        #expect(try await store.team("Platform") == nil)
        _ = try await store.map(team: "Platform Engineering", groupName: "Engineering", directoryID: nil)
        #expect(try await store.mappings(team: "Platform Engineering").map(\.groupName) == ["Engineering"])

        let other = try await store.createTeam(name: "Ops", slug: "ops-eu")
        _ = try await store.renameTeam("ops-eu", to: "Platform Engineering")
        let error = await #expect(throws: TeamError.self) { try await store.team("Platform Engineering") }
        #expect(error?.description.contains(#""ops-eu""#) == true && error?.description.contains(#""platform-engineering""#) == true)
        #expect(try await store.team("ops-eu")?.id == other.id, "the slug still names it")
        #expect(try await store.team("platform-engineering")?.id == platform.id)
    }

    @Test func teamReferencesPreferIdThenSlugThenExactName() throws {
        let a = Team(id: "t1", name: "ops", slug: "operations", createdAt: 0)
        let b = Team(id: "t2", name: "Operations", slug: "ops", createdAt: 0)
        let c = Team(id: "ops", name: "Other", slug: "other", createdAt: 0)
        #expect(try TeamReference.resolve("ops", among: [a, b, c])?.id == "ops", "an id first")
        #expect(try TeamReference.resolve("ops", among: [a, b])?.id == "t2", "then a slug")
        #expect(try TeamReference.resolve("Operations", among: [a, b])?.id == "t2", "then an exact name")
        #expect(try TeamReference.resolve("OPS", among: [a])?.id == "t1", "then a name ignoring case")
        #expect(try TeamReference.resolve("nobody", among: [a, b, c]) == nil)
    }
}
