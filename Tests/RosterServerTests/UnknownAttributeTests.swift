import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterTestSupport
import SCIM
import Testing

/// Attributes no schema defines, over HTTP: a misspelt core attribute is answered without it and stored nowhere; a
/// custom extension round-trips with its URN in `schemas` (docs/IDP-BEHAVIOURS.md §6.9).
@Suite struct UnknownAttributeTests {
    static let custom = "urn:okta:schemas:extension:custom:1.0:User"

    @Test func aPutWithAMisspeltCoreAttributeAnswers200WithoutItAndStoresNothingOfIt() async throws {
        let store = try await makeStore()
        try await withRouterApp(store: store) { client, directory in
            let id = try await client.createUser(named: "test.user@okta.local", in: directory)
            // Microsoft's test collection sends `adreses` in a PUT and expects 200.
            let body = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"test.user@okta.local","displayName":"Updated",
                 "adreses":[{"type":"work","streetAddress":"234300 Some Address","locality":"Redmond","postalCode":"12345","country":"USA"}]}
                """#
            let put = try await client.scim(.put, "/Users/\(id)", in: directory, body: body)
            #expect(put.status == .ok, "\(put.bodyText)")
            let answered = try put.json()
            #expect(answered["displayName"]?.stringValue == "Updated")
            #expect(answered["adreses"] == nil)
            let got = try await client.scim(.get, "/Users/\(id)", in: directory)
            #expect(!got.bodyText.contains("adreses") && !got.bodyText.contains("Redmond"))
            let stored = try await store.resource(.user, directoryID: directory.id, id: id, includeDerived: false)
            #expect(stored.attributes["adreses"] == nil)
            #expect(!JSONValue.object(stored.attributes).serialized().contains("Redmond"), "nothing of it is stored")

            let post = try await client.scim(
                .post,
                "/Users",
                in: directory,
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"other@okta.local","costCode":"CC-42"}"#
            )
            #expect(post.status == .created)
            #expect(!post.bodyText.contains("costCode"))
        }
    }

    @Test func aCustomExtensionAttributeRoundTrips() async throws {
        try await withRouterApp { client, directory in
            let body = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","\#(Self.custom)"],"userName":"jane@okta.local",
                 "\#(Self.custom)":{"badgeNumber":"B-7","floor":3}}
                """#
            let created = try await client.createUser(body, in: directory)
            let id = try #require(created["id"]?.stringValue)
            let got = try await client.scim(.get, "/Users/\(id)", in: directory).json()
            #expect(got["schemas"]?.arrayValue?.contains(.string(Self.custom)) == true)
            #expect(got[Self.custom]?["badgeNumber"]?.stringValue == "B-7")
            #expect(got[Self.custom]?["floor"]?.intValue == 3)
            let patch = #"""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"\#(Self.custom):floor","value":4}]}
                """#
            let patched = try await client.scim(.patch, "/Users/\(id)", in: directory, body: patch)
            #expect(patched.status == .ok)
            #expect(try patched.json()[Self.custom]?["floor"]?.intValue == 4)
        }
    }
}
