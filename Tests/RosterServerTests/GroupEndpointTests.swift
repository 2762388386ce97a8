import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterServer
import RosterTestSupport
import SCIM
import Testing

@Suite("/Groups endpoints")
struct GroupEndpointTests {
    /// A PatchOp body with `operations` (comma-separated operation objects).
    static func patchBody(_ operations: String) -> String {
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[\#(operations)]}"#
    }

    /// The member ids of a group, read back with GET.
    static func memberIDs(_ client: any TestClientProtocol, _ groupID: String, _ directory: TestDirectory) async throws -> [String] {
        let group = try await client.scim(.get, "/Groups/\(groupID)", in: directory).json()
        return group["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } ?? []
    }

    @Test("POST gives 201 with members, Location and ETag")
    func create() async throws {
        try await withRouterApp { client, directory in
            let user = try await client.createUser(named: "a@x.com", in: directory)
            let body =
                #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Test SCIMv2","members":[{"value":"\#(user)","display":"a@x.com"}]}"#
            let response = try await client.scim(.post, "/Groups", in: directory, body: body)
            #expect(response.status == .created)
            let group = try response.json()
            let id = try #require(group["id"]?.stringValue)
            #expect(group["displayName"]?.stringValue == "Test SCIMv2")
            #expect(group["members"]?[0]?["value"]?.stringValue == user)
            #expect(response.headers[.location] == directory.baseURL + "/Groups/" + id)
            #expect(group["meta"]?["location"]?.stringValue == response.headers[.location])
            #expect(response.headers[.eTag] == group["meta"]?["version"]?.stringValue)
            #expect(group["meta"]?["resourceType"]?.stringValue == "Group")
        }
    }

    @Test("A missing displayName gets 400; a duplicate one, in any case, 409 uniqueness")
    func createErrors() async throws {
        try await withRouterApp { client, directory in
            try expectSCIMError(try await client.scim(.post, "/Groups", in: directory, body: #"{"members":[]}"#), status: 400)
            _ = try await client.createGroup(named: "Engineering", in: directory)
            try expectSCIMError(
                try await client.scim(.post, "/Groups", in: directory, body: #"{"displayName":"engineering"}"#),
                status: 409,
                scimType: "uniqueness"
            )
        }
    }

    @Test("GET with excludedAttributes=members omits members and does not load them")
    func getWithoutMembers() async throws {
        let store = try SpyStore()
        try await withRouterApp(store: store) { client, directory in
            let user = try await client.createUser(named: "a@x.com", in: directory)
            let group = try await client.createGroup(named: "G", members: [user], in: directory)
            let response = try await client.scim(.get, "/Groups/\(group)?excludedAttributes=members", in: directory)
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["members"] == nil)
            #expect(json["displayName"]?.stringValue == "G")
            #expect(await store.calls.last == "get group derived=false")
            let listed = try await client.scim(.get, "/Groups?excludedAttributes=members", in: directory).json()
            #expect(listed["Resources"]?[0]?["members"] == nil)
            #expect(await store.calls.last == "list group derived=false")
            let named = try await client.scim(.get, "/Groups?attributes=displayName", in: directory).json()
            #expect(named["Resources"]?[0]?["members"] == nil)
            #expect(await store.calls.last == "list group derived=false")
            _ = try await client.scim(.get, "/Groups/\(group)", in: directory)
            #expect(await store.calls.last == "get group derived=true")
            _ = try await client.scim(.get, "/Users/\(user)?attributes=userName", in: directory)
            #expect(await store.calls.last == "get user derived=false")
        }
    }

    @Test("PATCH gives 204 with no body and does not load members")
    func patchNoContent() async throws {
        let store = try SpyStore()
        try await withRouterApp(store: store) { client, directory in
            let user = try await client.createUser(named: "a@x.com", in: directory)
            let group = try await client.createGroup(named: "G", in: directory)
            let body = Self.patchBody(#"{"op":"add","path":"members","value":[{"value":"\#(user)","display":"a@x.com"}]}"#)
            let response = try await client.scim(.patch, "/Groups/\(group)", in: directory, body: body)
            #expect(response.status == .noContent)
            #expect(response.body.readableBytes == 0)
            #expect(response.isSCIM)
            #expect(response.headers[.eTag] != nil)
            #expect(await store.calls.last == "patch group derived=false")
            #expect(try await Self.memberIDs(client, group, directory) == [user])
        }
    }

    @Test("PATCH with attributes or excludedAttributes gives 200 with the projected group")
    func patchProjected() async throws {
        let store = try SpyStore()
        try await withRouterApp(store: store) { client, directory in
            let user = try await client.createUser(named: "a@x.com", in: directory)
            let group = try await client.createGroup(named: "G", in: directory)
            let add = Self.patchBody(#"{"op":"add","path":"members","value":[{"value":"\#(user)"}]}"#)
            let excluded = try await client.scim(.patch, "/Groups/\(group)?excludedAttributes=members", in: directory, body: add)
            #expect(excluded.status == .ok)
            let json = try excluded.json()
            #expect(json["members"] == nil && json["displayName"]?.stringValue == "G" && json["id"]?.stringValue == group)
            #expect(await store.calls.last == "patch group derived=false")
            let rename = Self.patchBody(#"{"op":"replace","path":"displayName","value":"H"}"#)
            let withMembers = try await client.scim(.patch, "/Groups/\(group)?attributes=members,displayName", in: directory, body: rename)
            #expect(withMembers.status == .ok)
            #expect(try withMembers.json()["members"]?[0]?["value"]?.stringValue == user)
            #expect(try withMembers.json()["displayName"]?.stringValue == "H")
            #expect(await store.calls.last == "patch group derived=true")
        }
    }

    @Test("Membership PATCH shapes: add, filtered remove, remove with a value list, replace, replace with [], remove all")
    func membershipShapes() async throws {
        try await withRouterApp { client, directory in
            let u1 = try await client.createUser(named: "u1@x.com", in: directory)
            let u2 = try await client.createUser(named: "u2@x.com", in: directory)
            let u3 = try await client.createUser(named: "u3@x.com", in: directory)
            let group = try await client.createGroup(named: "G", in: directory)
            func patch(_ operations: String) async throws {
                let response = try await client.scim(.patch, "/Groups/\(group)", in: directory, body: Self.patchBody(operations))
                #expect(response.status == .noContent, "\(response.bodyText)")
            }
            try await patch(#"{"op":"Add","path":"members","value":[{"$ref":null,"value":"\#(u1)"},{"value":"\#(u2)"},{"value":"\#(u3)"}]}"#)
            #expect(try await Self.memberIDs(client, group, directory) == [u1, u2, u3])
            try await patch(#"{"op":"remove","path":"members[value eq \"\#(u1)\"]"}"#)
            #expect(try await Self.memberIDs(client, group, directory) == [u2, u3])
            try await patch(#"{"op":"Remove","path":"members","value":[{"$ref":null,"value":"\#(u2)"}]}"#)
            #expect(try await Self.memberIDs(client, group, directory) == [u3])
            try await patch(#"{"op":"replace","path":"members","value":[{"value":"\#(u1)","display":"u1"},{"value":"\#(u2)","display":"u2"}]}"#)
            #expect(try await Self.memberIDs(client, group, directory) == [u1, u2])
            try await patch(#"{"op":"replace","path":"members","value":[]}"#)
            #expect(try await Self.memberIDs(client, group, directory) == [])
            try await patch(#"{"op":"add","path":"members","value":[{"value":"\#(u3)"}]}"#)
            try await patch(#"{"op":"remove","path":"members"}"#)
            #expect(try await Self.memberIDs(client, group, directory) == [])
        }
    }

    @Test("Okta's replace with the group's own id is accepted; another id is 400 mutability")
    func oktaReplaceWithID() async throws {
        try await withRouterApp { client, directory in
            let group = try await client.createGroup(named: "Test SCIMv2", in: directory)
            let same = Self.patchBody(#"{"op":"replace","value":{"id":"\#(group)","displayName":"Renamed"}}"#)
            #expect(try await client.scim(.patch, "/Groups/\(group)", in: directory, body: same).status == .noContent)
            #expect(try await client.scim(.get, "/Groups/\(group)", in: directory).json()["displayName"]?.stringValue == "Renamed")
            let other = Self.patchBody(#"{"op":"replace","value":{"id":"someone-else","displayName":"X"}}"#)
            try expectSCIMError(try await client.scim(.patch, "/Groups/\(group)", in: directory, body: other), status: 400, scimType: "mutability")
        }
    }

    @Test("A member id that is not in the directory is skipped, not an error")
    func unknownMember() async throws {
        try await withRouterApp { client, directory in
            let user = try await client.createUser(named: "a@x.com", in: directory)
            let group = try await client.createGroup(named: "G", in: directory)
            let body = Self.patchBody(#"{"op":"add","path":"members","value":[{"value":"fake-member-id"},{"value":"\#(user)"}]}"#)
            #expect(try await client.scim(.patch, "/Groups/\(group)", in: directory, body: body).status == .noContent)
            #expect(try await Self.memberIDs(client, group, directory) == [user])
        }
    }

    @Test("PUT gives 200 with the group and replaces members")
    func replace() async throws {
        try await withRouterApp { client, directory in
            let u1 = try await client.createUser(named: "u1@x.com", in: directory)
            let u2 = try await client.createUser(named: "u2@x.com", in: directory)
            let group = try await client.createGroup(named: "G", members: [u1], in: directory)
            let body =
                #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"\#(group)","displayName":"G2","members":[{"value":"\#(u2)"}]}"#
            let response = try await client.scim(.put, "/Groups/\(group)", in: directory, body: body)
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["displayName"]?.stringValue == "G2")
            #expect(json["members"]?.arrayValue?.count == 1)
            #expect(json["members"]?[0]?["value"]?.stringValue == u2)
            #expect(response.headers[.eTag] == json["meta"]?["version"]?.stringValue)
        }
    }

    @Test("DELETE gives 204; a deleted user leaves its groups")
    func delete() async throws {
        try await withRouterApp { client, directory in
            let u1 = try await client.createUser(named: "u1@x.com", in: directory)
            let u2 = try await client.createUser(named: "u2@x.com", in: directory)
            let group = try await client.createGroup(named: "G", members: [u1, u2], in: directory)
            let user = try await client.scim(.get, "/Users/\(u1)", in: directory).json()
            #expect(user["groups"]?[0]?["value"]?.stringValue == group)
            #expect(try await client.scim(.delete, "/Users/\(u1)", in: directory).status == .noContent)
            #expect(try await Self.memberIDs(client, group, directory) == [u2])
            let response = try await client.scim(.delete, "/Groups/\(group)", in: directory)
            #expect(response.status == .noContent)
            #expect(response.body.readableBytes == 0)
            try expectSCIMError(try await client.scim(.get, "/Groups/\(group)", in: directory), status: 404)
        }
    }
}
