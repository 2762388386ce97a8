import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterServer
import RosterTestSupport
import SCIM
import Testing

/// End-to-end replay of what Microsoft Entra ID sends (docs/IDP-BEHAVIOURS.md §2.1–§2.3, whose section and step
/// numbers the comments below use), against a real server on a port.
@Suite("Entra ID replay (live server)")
struct EntraReplayTests {
    /// The PatchOp message URN.
    static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    /// Entra: `Authorization: Bearer`, bodies as `application/scim+json`.
    static func entra(_ client: any TestClientProtocol, _ directory: TestDirectory) -> IdentityProviderReplay {
        IdentityProviderReplay(
            client: client,
            directory: directory,
            headers: [.authorization: "Bearer \(directory.token)", .accept: "application/scim+json"],
            contentTypeWithoutBody: false,
            contentType: "application/scim+json"
        )
    }

    @Test("Test Connection, schema discovery, user lifecycle and group lifecycle")
    func lifecycle() async throws {
        try await withLiveApp(store: try await makeStore(), provider: .azure) { client, directory in
            let entra = Self.entra(client, directory)

            // §2.1 Test Connection: a user that does not exist (random GUID), and a group probe.
            var response = try await entra.send(.get, "/Users?filter=userName+eq+%223f8c1d2e-6b1f-4f7e-9a0b-2c1d4e5f6a7b%22")
            try ListAndSearchTests.expectList(response, total: 0, items: 0)
            response = try await entra.send(.get, "/Groups?excludedAttributes=members&filter=displayName+eq+%227b2c9d1e%22")
            try ListAndSearchTests.expectList(response, total: 0, items: 0)
            // Schema discovery: a ListResponse with no nulls.
            response = try await entra.send(.get, "/Schemas")
            #expect(response.status == .ok)
            #expect(response.isSCIM)
            #expect(try response.json()["schemas"]?[0]?.stringValue == SCIMSchemaURN.listResponse)
            #expect(!response.bodyText.contains("null"))

            // §2.2 User lifecycle. 1. Match.
            let userName = "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"
            response = try await entra.send(.get, "/Users?aadOptscim062020&filter=userName+eq+%22\(userName)%22")
            try ListAndSearchTests.expectList(response, total: 0, items: 0)
            // 2. Create, with the enterprise extension, JSON nulls, the malformed URN and meta of the tutorial.
            response = try await entra.send(
                .post,
                "/Users",
                body: #"""
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
                     "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"\#(userName)","active":true,
                     "addresses":null,"displayName":"Test User","emails":[{"primary":true,"type":"work","value":"\#(userName)@testuser.com"}],
                     "meta":{"resourceType":"User"},
                     "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
                     "phoneNumbers":null,"preferredLanguage":null,"roles":[],"title":null,
                     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":null,"manager":null,"employeeNumber":"701984"}}
                    """#
            )
            #expect(response.status == .created, "\(response.bodyText)")
            var user = try response.json()
            let userID = try #require(user["id"]?.stringValue)
            #expect(user["externalId"]?.stringValue == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef")
            #expect(user["meta"]?["created"]?.isPresent == true && user["meta"]?["lastModified"]?.isPresent == true)
            #expect(!response.bodyText.contains("null"))
            // 1 again: the match now finds it, by userName and by externalId.
            response = try await entra.send(.get, "/Users?filter=userName+eq+%22\(userName)%22")
            try ListAndSearchTests.expectList(response, total: 1, items: 1)
            response = try await entra.send(.get, "/Users?filter=externalId+eq+%220a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef%22")
            try ListAndSearchTests.expectList(response, total: 1, items: 1)
            response = try await entra.send(.get, "/Users?filter=emails%5Btype+eq+%22work%22%5D.value+eq+%22\(userName)%40testuser.com%22")
            try ListAndSearchTests.expectList(response, total: 1, items: 1)
            // 3. Get; not found → 404 with status.
            #expect(try await entra.send(.get, "/Users/\(userID)").status == .ok)
            try expectSCIMError(try await entra.send(.get, "/Users/5171a35d82074e068ce2"), status: 404)

            // 4. Update with multi-valued paths.
            response = try await entra.send(
                .patch,
                "/Users/\(userID)",
                body: #"""
                    {"schemas":["\#(Self.patchOp)"],"Operations":[
                      {"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"},
                      {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}]}
                    """#
            )
            #expect(response.status == .ok, "\(response.bodyText)")
            user = try response.json()
            #expect(user["emails"]?[0]?["value"]?.stringValue == "updatedEmail@microsoft.com")
            #expect(user["emails"]?.arrayValue?.count == 1)
            #expect(user["name"]?["familyName"]?.stringValue == "updatedFamilyName")
            #expect(user["name"]?["givenName"]?.stringValue == "givenName")
            // Flag mode: one no-path op with dotted and URN keys.
            response = try await entra.send(
                .patch,
                "/Users/\(userID)?aadOptscim062020",
                body: #"""
                    {"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom",
                      "name.familyName":"Unua","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}
                    """#
            )
            #expect(response.status == .ok, "\(response.bodyText)")
            user = try response.json()
            #expect(user["displayName"]?.stringValue == "Bjfe" && user["name"]?["givenName"]?.stringValue == "Kkom")
            #expect(user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["employeeNumber"]?.stringValue == "Aklq")

            // 5. Update a single value: userName.
            let newUserName = "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
            response = try await entra.send(
                .patch,
                "/Users/\(userID)",
                body: #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Replace","path":"userName","value":"\#(newUserName)"}]}"#
            )
            #expect(response.status == .ok)
            #expect(try response.json()["userName"]?.stringValue == newUserName)

            // 9. Manager, as the tutorial's array and as a bare string.
            response = try await entra.send(
                .patch,
                "/Users/\(userID)",
                body:
                    #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":[{"$ref":"https://x/Users/m1","value":"m1"}]}]}"#
            )
            #expect(response.status == .ok, "\(response.bodyText)")
            response = try await entra.send(
                .patch,
                "/Users/\(userID)",
                body:
                    #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"myuser"}]}"#
            )
            #expect(response.status == .ok, "\(response.bodyText)")
            #expect(try response.json()["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["manager"]?["value"]?.stringValue == "myuser")

            // 6. Disable: the string "False" (no flag), then boolean false (flag). The user stays retrievable.
            response = try await entra.send(
                .patch,
                "/Users/\(userID)",
                body: #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}"#
            )
            #expect(response.status == .ok)
            #expect(try response.json()["active"] == .bool(false))
            response = try await entra.send(
                .patch,
                "/Users/\(userID)?aadOptscim062020",
                body: #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","path":"active","value":false}]}"#
            )
            #expect(response.status == .ok)
            response = try await entra.send(.get, "/Users/\(userID)")
            #expect(response.status == .ok)
            #expect(try response.json()["active"] == .bool(false))

            // 8. Reactivate with "True".
            response = try await entra.send(
                .patch,
                "/Users/\(userID)",
                body: #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Replace","path":"active","value":"True"}]}"#
            )
            #expect(response.status == .ok)
            #expect(try response.json()["active"] == .bool(true))

            // A second user to be a group member.
            response = try await entra.send(
                .post,
                "/Users",
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Test_User_2","active":"True"}"#
            )
            #expect(response.status == .created)
            #expect(try response.json()["active"] == .bool(true))
            let memberID = try #require(try response.json()["id"]?.stringValue)

            // §2.3 Group lifecycle. 1. Match.
            response = try await entra.send(.get, "/Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22")
            try ListAndSearchTests.expectList(response, total: 0, items: 0)
            // 2. Create with the ADSCIM URN, externalId and meta.
            response = try await entra.send(
                .post,
                "/Groups",
                body: #"""
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                     "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"displayName","meta":{"resourceType":"Group"}}
                    """#
            )
            #expect(response.status == .created, "\(response.bodyText)")
            let groupID = try #require(try response.json()["id"]?.stringValue)
            // members: [] or no members at all (an empty multi-valued attribute is unassigned).
            #expect(try response.json()["members"]?.arrayValue?.isEmpty ?? true)
            response = try await entra.send(.get, "/Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22")
            let list = try ListAndSearchTests.expectList(response, total: 1, items: 1)
            #expect(list["Resources"]?[0]?["members"] == nil)
            // 3. Get without members.
            response = try await entra.send(.get, "/Groups/\(groupID)?excludedAttributes=members")
            #expect(response.status == .ok)
            #expect(try response.json()["members"] == nil)
            // 4. Rename → 204.
            response = try await entra.send(
                .patch,
                "/Groups/\(groupID)",
                body:
                    #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Replace","path":"displayName","value":"1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}]}"#
            )
            #expect(response.status == .noContent)
            // 5. Add members, several values in one op → 204.
            response = try await entra.send(
                .patch,
                "/Groups/\(groupID)",
                body:
                    #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"\#(userID)"},{"$ref":null,"value":"\#(memberID)"}]}]}"#
            )
            #expect(response.status == .noContent)
            var members = try await entra.send(.get, "/Groups/\(groupID)").json()["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue }
            #expect(members == [userID, memberID])
            // 6. Remove members: default mode with a value list, then flag mode with a filter.
            response = try await entra.send(
                .patch,
                "/Groups/\(groupID)",
                body:
                    #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"\#(userID)"}]}]}"#
            )
            #expect(response.status == .noContent)
            members = try await entra.send(.get, "/Groups/\(groupID)").json()["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue }
            #expect(members == [memberID])
            response = try await entra.send(
                .patch,
                "/Groups/\(groupID)?aadOptscim062020",
                body: #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"remove","path":"members[value eq \"\#(memberID)\"]"}]}"#
            )
            #expect(response.status == .noContent)
            members = try await entra.send(.get, "/Groups/\(groupID)").json()["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue }
            #expect(members?.isEmpty ?? true)
            // 7. Delete the group → 204.
            response = try await entra.send(.delete, "/Groups/\(groupID)")
            #expect(response.status == .noContent)

            // §2.2 7. Delete the user (hard delete) → 204; then 404.
            response = try await entra.send(.delete, "/Users/\(userID)")
            #expect(response.status == .noContent)
            try expectSCIMError(try await entra.send(.get, "/Users/\(userID)"), status: 404)
        }
    }
}
