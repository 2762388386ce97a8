import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import SCIM
import Testing

/// The read API under /api/v1: authentication, every route, filters, keyset pagination, manual members, events.
@Suite struct ReadAPITests {
    /// A store with one directory, an API key, three users (alice and bob in Engineering, carol deactivated) and the
    /// team Platform fed by Engineering.
    struct Fixture: Sendable {
        var store: SQLiteStore
        var directory: TestDirectory
        var key: String
        var users: [String: String]
        var platform: Team
    }

    static func withAPI(_ body: @Sendable (any TestClientProtocol, Fixture) async throws -> Void) async throws {
        let store = try SQLiteStore.inMemory()
        let (key, hash) = APIKey.generate()
        _ = try await store.createAPIKey(name: "test", prefix: String(key.prefix(10)), tokenHash: hash)
        let app = testApplication(store: store, configuration: testConfiguration())
        try await app.test(.router) { client in
            let directory = try await makeDirectory(in: store)
            var users: [String: String] = [:]
            for name in ["alice", "bob", "carol"] {
                users[name] = try await client.createUser(named: "\(name)@example.com", in: directory)
            }
            _ = try await client.createGroup(named: "Engineering", members: [users["alice"]!, users["bob"]!], in: directory)
            let deactivate =
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}"#
            _ = try await client.scim(.patch, "/Users/\(users["carol"]!)", in: directory, body: deactivate)
            let platform = try await store.createTeam(name: "Platform", slug: nil)
            _ = try await store.map(team: platform.id, groupName: "Engineering", directoryID: nil)
            try await body(client, Fixture(store: store, directory: directory, key: key, users: users, platform: platform))
        }
    }

    static func get(_ client: any TestClientProtocol, _ path: String, key: String?) async throws -> (status: HTTPResponse.Status, json: JSONValue) {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        let response = try await client.execute(uri: path, method: .get, headers: headers)
        return (response.status, try response.json())
    }

    static func userNames(_ json: JSONValue) -> [String] {
        (json["data"]?.arrayValue ?? []).compactMap { $0["user_name"]?.stringValue }
    }

    @Test func everyRouteNeedsALiveKey() async throws {
        try await Self.withAPI { client, fixture in
            for key in [nil, "rst_wrong", fixture.directory.token] {
                let (status, json) = try await Self.get(client, "/api/v1/users", key: key)
                #expect(status == .unauthorized)
                #expect(json["error"]?["status"]?.intValue == 401)
            }
            let keys = try await fixture.store.apiKeys()
            #expect(try await fixture.store.revokeAPIKey(id: keys[0].id))
            #expect(try await Self.get(client, "/api/v1/users", key: fixture.key).status == .unauthorized, "revoked")
            let document = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(document.status == .ok, "the document needs no key")
        }
    }

    @Test func usersAreFilteredByEmailStatusTeamAndDirectory() async throws {
        try await Self.withAPI { client, fixture in
            let all = try await Self.get(client, "/api/v1/users", key: fixture.key)
            #expect(all.status == .ok)
            #expect(Self.userNames(all.json) == ["alice@example.com", "bob@example.com", "carol@example.com"])
            #expect(all.json["next_cursor"] == .null)
            let alice = try #require(all.json["data"]?[0])
            #expect(alice["teams"]?[0]?["name"]?.stringValue == "Platform")
            #expect(alice["attributes"]?["userName"]?.stringValue == "alice@example.com")
            #expect(alice["directory_id"]?.stringValue == fixture.directory.id)

            #expect(Self.userNames(try await Self.get(client, "/api/v1/users?email=BOB%40example.com", key: fixture.key).json) == ["bob@example.com"])
            #expect(Self.userNames(try await Self.get(client, "/api/v1/users?status=deactivated", key: fixture.key).json) == ["carol@example.com"])
            #expect(Self.userNames(try await Self.get(client, "/api/v1/users?status=active", key: fixture.key).json).count == 2)
            #expect(
                Self.userNames(try await Self.get(client, "/api/v1/users?team=platform", key: fixture.key).json)
                    == ["alice@example.com", "bob@example.com"]
            )
            #expect(Self.userNames(try await Self.get(client, "/api/v1/users?team=nope", key: fixture.key).json).isEmpty)
            #expect(Self.userNames(try await Self.get(client, "/api/v1/users?directory_id=other", key: fixture.key).json).isEmpty)
            #expect(try await Self.get(client, "/api/v1/users?status=sleeping", key: fixture.key).status == .badRequest)

            let one = try await Self.get(client, "/api/v1/users/\(fixture.users["bob"]!)", key: fixture.key)
            #expect(one.json["user_name"]?.stringValue == "bob@example.com")
            #expect(try await Self.get(client, "/api/v1/users/nope", key: fixture.key).status == .notFound)
        }
    }

    @Test func paginationNeitherRepeatsNorSkipsWhileRowsChange() async throws {
        try await Self.withAPI { client, fixture in
            for index in 0..<22 {
                _ = try await client.createUser(named: "user\(String(format: "%02d", index))@example.com", in: fixture.directory)
            }
            let first = try await Self.get(client, "/api/v1/users?limit=10", key: fixture.key)
            let firstNames = Self.userNames(first.json)
            #expect(firstNames.count == 10)
            let cursor = try #require(first.json["next_cursor"]?.stringValue)
            // Between pages: a user of the first page goes, and a new one arrives.
            #expect(try await client.scim(.delete, "/Users/\(fixture.users["alice"]!)", in: fixture.directory).status == .noContent)
            _ = try await client.createUser(named: "late@example.com", in: fixture.directory)
            var rest: [String] = []
            var next: String? = cursor
            while let current = next {
                let page = try await Self.get(client, "/api/v1/users?limit=10&cursor=\(current)", key: fixture.key)
                #expect(page.status == .ok)
                rest += Self.userNames(page.json)
                next = page.json["next_cursor"]?.stringValue
            }
            #expect(Set(firstNames).isDisjoint(with: rest), "no repeats")
            #expect(firstNames.count + rest.count == 3 + 22 + 1, "nothing skipped, the late user included")
            #expect(rest.last == "late@example.com")
            #expect(try await Self.get(client, "/api/v1/users?limit=0", key: fixture.key).status == .badRequest)
            #expect(try await Self.get(client, "/api/v1/users?limit=1001", key: fixture.key).status == .badRequest)
            #expect(try await Self.get(client, "/api/v1/users?cursor=abc", key: fixture.key).json["error"]?["status"]?.intValue == 400)
        }
    }

    @Test func groupsAndTeams() async throws {
        try await Self.withAPI { client, fixture in
            let groups = try await Self.get(client, "/api/v1/groups", key: fixture.key).json
            #expect(groups["data"]?[0]?["display_name"]?.stringValue == "Engineering")
            #expect(groups["data"]?[0]?["member_count"]?.intValue == 2)
            let teams = try await Self.get(client, "/api/v1/teams", key: fixture.key).json
            #expect(teams["data"]?[0]?["slug"]?.stringValue == "platform")
            #expect(teams["data"]?[0]?["group_names"]?[0]?.stringValue == "Engineering")
            #expect(teams["data"]?[0]?["member_count"]?.intValue == 2)
            #expect(teams["data"]?[0]?["suspended_count"]?.intValue == 0)
            let members = try await Self.get(client, "/api/v1/teams/\(fixture.platform.id)/members", key: fixture.key)
            let people = members.json["data"]?.arrayValue ?? []
            #expect(people.compactMap { $0["email"]?.stringValue } == ["alice@example.com", "bob@example.com"])
            #expect(people.allSatisfy { $0["membership"]?.stringValue == "active" && $0["users"]?.arrayValue?.count == 1 })
            let alice = try #require(people.first?["users"]?[0])
            #expect(alice["user_name"]?.stringValue == "alice@example.com")
            #expect(alice["directory_id"]?.stringValue == fixture.directory.id)
            #expect(alice["membership"]?.stringValue == "active")
            #expect(alice["sources"]?[0]?["type"]?.stringValue == "group")
            #expect(alice["sources"]?[0]?["group_name"]?.stringValue == "Engineering")
            let byName = try await Self.get(client, "/api/v1/teams/Platform/members", key: fixture.key)
            #expect(byName.status == .ok, "a team is also reached by its name")
            #expect(byName.json["data"]?.arrayValue?.count == 2)
            #expect(try await Self.get(client, "/api/v1/teams/nope/members", key: fixture.key).status == .notFound)
        }
    }

    @Test func manualMembersAreAddedAndRemovedButGroupMembershipsStay() async throws {
        try await Self.withAPI { client, fixture in
            let headers: HTTPFields = [.authorization: "Bearer \(fixture.key)", .contentType: "application/json"]
            let path = "/api/v1/teams/platform/members"
            let carol = fixture.users["carol"]!
            let bob = fixture.users["bob"]!
            let added = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: #"{"user_id":"\#(carol)"}"#))
            #expect(added.status == .created)
            let again = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: #"{"user_id":"\#(carol)"}"#))
            #expect(again.status == .ok)
            #expect(try await fixture.store.teamMembers("platform").first { $0.userID == carol }?.sources == [.manual])
            let bad = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: #"{"user":1}"#))
            #expect(bad.status == .badRequest)
            let unknown = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: #"{"user_id":"nope"}"#))
            #expect(unknown.status == .notFound)

            let removed = try await client.execute(uri: "\(path)/\(carol)", method: .delete, headers: headers)
            #expect(removed.status == .noContent)
            #expect(try await client.execute(uri: "\(path)/\(carol)", method: .delete, headers: headers).status == .notFound)
            let groupMember = try await client.execute(uri: "\(path)/\(bob)", method: .delete, headers: headers)
            #expect(groupMember.status == .notFound, "bob is in the team through Engineering, not by hand")
            #expect(try await fixture.store.teamMembers("platform").contains { $0.userID == bob })
        }
    }

    @Test func theEventFeedIsOrderedAndResumable() async throws {
        try await Self.withAPI { client, fixture in
            let all = try await Self.get(client, "/api/v1/events?limit=1000", key: fixture.key).json
            let sequences = (all["data"]?.arrayValue ?? []).compactMap { $0["sequence"]?.intValue }
            #expect(sequences.count > 5)
            #expect(sequences == sequences.sorted())
            let middle = sequences[2]
            let after = try await Self.get(client, "/api/v1/events?after=\(middle)&limit=2", key: fixture.key).json
            #expect((after["data"]?.arrayValue ?? []).compactMap { $0["sequence"]?.intValue } == Array(sequences[3...4]))
            #expect(after["next_after"]?.stringValue == String(sequences[4]))
            let end = try await Self.get(client, "/api/v1/events?after=\(sequences.last!)", key: fixture.key).json
            #expect(end["data"]?.arrayValue?.isEmpty == true)
            #expect(end["next_after"]?.stringValue == String(sequences.last!))
            #expect(try await Self.get(client, "/api/v1/events?after=-1", key: fixture.key).status == .badRequest)
        }
    }
}
