import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterServer
import RosterTestSupport
import SCIM
import Testing

/// End-to-end replays of what Okta sends (docs/IDP-BEHAVIOURS.md §1.3–§1.13 and the SCIM 2.0 SPEC test of §1.14;
/// the sections cited below are that document's), with Okta's headers and bodies, against a real server on a port.
@Suite("Okta replay (live server)")
struct OktaReplayTests {
    /// The headers Okta documents for SCIM 2.0 requests (docs/IDP-BEHAVIOURS.md §1.2).
    static func oktaHeaders(_ directory: TestDirectory) throws -> HTTPFields {
        var headers: HTTPFields = [:]
        headers[.accept] = "application/scim+json"
        headers[try #require(HTTPField.Name("Accept-Charset"))] = "utf-8"
        headers[.userAgent] = "Okta SCIM Client 1.0.0"
        headers[.authorization] = "Bearer \(directory.token)"
        headers[.acceptEncoding] = "gzip,deflate"
        return headers
    }

    /// Okta as an OIN or AIW app: Okta's headers, and `Content-Type` on every request, DELETE included.
    static func okta(_ client: any TestClientProtocol, _ directory: TestDirectory) throws -> IdentityProviderReplay {
        IdentityProviderReplay(
            client: client,
            directory: directory,
            headers: try oktaHeaders(directory),
            contentTypeWithoutBody: true,
            contentType: "application/scim+json; charset=utf-8"
        )
    }

    /// The PatchOp message URN.
    static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    @Test("Connector test, import paging, user push, profile update, deactivate, reactivate, password, group push, rename, membership, delete")
    func provisioningSequence() async throws {
        try await withLiveApp(store: try await makeStore()) { client, directory in
            let okta = try Self.okta(client, directory)

            // §1.3 Connector test on save, on an empty directory.
            var response = try await okta.send(.get, "/Users?startIndex=1&count=2")
            try ListAndSearchTests.expectList(response, total: 0, items: 0)
            #expect(response.bodyText.contains(#""Resources":[]"#))
            response = try await okta.send(.get, "/Groups?startIndex=1&count=100")
            try ListAndSearchTests.expectList(response, total: 0, items: 0)

            // §1.5 Push a new user: existence check (%20 form), then create.
            response = try await okta.send(.get, "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100")
            try ListAndSearchTests.expectList(response, total: 0, items: 0)
            response = try await okta.send(
                .post,
                "/Users",
                body: #"""
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
                     "userName":"test.user@okta.local",
                     "name":{"givenName":"Test","familyName":"User"},
                     "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
                     "displayName":"Test User","locale":"en-US",
                     "externalId":"00ujl29u0le5T6Aj10h7",
                     "groups":[],"password":"1mz050nq","active":true}
                    """#
            )
            #expect(response.status == .created, "\(response.bodyText)")
            #expect(response.isSCIM)
            var user = try response.json()
            let userID = try #require(user["id"]?.stringValue)
            #expect(response.headers[.location] == user["meta"]?["location"]?.stringValue)
            #expect(user["password"] == nil)
            #expect(user["externalId"]?.stringValue == "00ujl29u0le5T6Aj10h7")
            // Pushing the same user again is a 409 with an Error body.
            response = try await okta.send(
                .post,
                "/Users",
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"test.user@okta.local","active":true}"#
            )
            try expectSCIMError(response, status: 409, scimType: "uniqueness")
            // The + form of the same check now finds the user.
            response = try await okta.send(.get, "/Users?filter=userName+eq+%22test.user%40okta.local%22&startIndex=1&count=100")
            var list = try ListAndSearchTests.expectList(response, total: 1, items: 1)
            #expect(list["Resources"]?[0]?["id"]?.stringValue == userID)

            // §1.6 Update profile: GET, then PUT of what GET returned with the changes patched in.
            response = try await okta.send(.get, "/Users/\(userID)")
            #expect(response.status == .ok)
            response = try await okta.send(
                .put,
                "/Users/\(userID)",
                body: #"""
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"\#(userID)","userName":"test.user@okta.local",
                     "name":{"givenName":"Another","middleName":"Excited","familyName":"User"},
                     "emails":[{"primary":true,"value":"test.user@okta.local","type":"work","display":"test.user@okta.local"}],
                     "active":true,"groups":[],"meta":{"resourceType":"User","created":"04-12-2018 00:00:00","version":"v1.0"}}
                    """#
            )
            #expect(response.status == .ok, "\(response.bodyText)")
            user = try response.json()
            #expect(user["name"]?["givenName"]?.stringValue == "Another")
            #expect(user["active"] == .bool(true))

            // §1.7 Deactivate (OIN): no-path replace merges; GET still answers 200 with active false.
            response = try await okta.send(
                .patch,
                "/Users/\(userID)",
                body: #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
            )
            #expect(response.status == .ok)
            user = try response.json()
            #expect(user["active"] == .bool(false))
            #expect(user["name"]?["givenName"]?.stringValue == "Another")
            #expect(user["emails"]?[0]?["value"]?.stringValue == "test.user@okta.local")
            response = try await okta.send(.get, "/Users/\(userID)")
            #expect(response.status == .ok)
            #expect(try response.json()["active"] == .bool(false))
            response = try await okta.send(.get, "/Users?filter=userName+eq+%22test.user%40okta.local%22&startIndex=1&count=100")
            list = try ListAndSearchTests.expectList(response, total: 1, items: 1)
            #expect(list["Resources"]?[0]?["active"] == .bool(false))

            // §1.8 Reactivate (OIN).
            response = try await okta.send(
                .patch,
                "/Users/\(userID)",
                body: #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"active":true}}]}"#
            )
            #expect(response.status == .ok)
            #expect(try response.json()["active"] == .bool(true))

            // §1.7/§1.8 AIW flavour: GET, PUT with active flipped, and back.
            for active in [false, true] {
                response = try await okta.send(.get, "/Users/\(userID)")
                #expect(response.status == .ok)
                var body = try #require(response.json().objectValue)
                body["active"] = .bool(active)
                response = try await okta.send(.put, "/Users/\(userID)", body: JSONValue.object(body).serialized())
                #expect(response.status == .ok, "\(response.bodyText)")
                #expect(try response.json()["active"] == .bool(active))
                #expect(try response.json()["name"]?["givenName"]?.stringValue == "Another")
            }

            // §1.9 Password sync: accepted, never returned.
            response = try await okta.send(
                .patch,
                "/Users/\(userID)",
                body: #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"password":"n3w-Secret"}}]}"#
            )
            #expect(response.status == .ok)
            #expect(!response.bodyText.contains("n3w-Secret"))
            #expect(try response.json()["password"] == nil)

            // A second user for membership changes.
            response = try await okta.send(
                .post,
                "/Users",
                body: #"""
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"second.user@okta.local",
                     "name":{"givenName":"Second","familyName":"User"},
                     "emails":[{"primary":true,"value":"second.user@okta.local","type":"work"}],
                     "displayName":"Second User","externalId":"00ujl29u0le5T6Aj10h8","groups":[],"password":"aaaa1111","active":true}
                    """#
            )
            #expect(response.status == .created)
            let secondID = try #require(try response.json()["id"]?.stringValue)

            // §1.10 Push a group (OIN): members [] → 201 with members [].
            response = try await okta.send(
                .post,
                "/Groups",
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Test SCIMv2","members":[]}"#
            )
            #expect(response.status == .created, "\(response.bodyText)")
            var group = try response.json()
            let groupID = try #require(group["id"]?.stringValue)
            #expect(group["displayName"]?.stringValue == "Test SCIMv2")
            #expect(group["members"]?.arrayValue?.isEmpty ?? true)  // [] or absent
            #expect(group["meta"]?["resourceType"]?.stringValue == "Group")

            // §1.12 Delta membership: add, then remove with a filter plus add, as one PATCH each.
            response = try await okta.send(
                .patch,
                "/Groups/\(groupID)",
                body:
                    #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"add","path":"members","value":[{"value":"\#(userID)","display":"test.user@okta.local"}]}]}"#
            )
            #expect(response.status == .noContent)
            #expect(response.body.readableBytes == 0)
            // §1.11 Okta's rename-style replace, carrying the group's own id, after every membership update.
            response = try await okta.send(
                .patch,
                "/Groups/\(groupID)",
                body: #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"id":"\#(groupID)","displayName":"Test SCIMv2"}}]}"#
            )
            #expect(response.status == .noContent)
            response = try await okta.send(
                .patch,
                "/Groups/\(groupID)",
                body: #"""
                    {"schemas":["\#(Self.patchOp)"],"Operations":[
                      {"op":"remove","path":"members[value eq \"\#(userID)\"]"},
                      {"op":"add","path":"members","value":[{"value":"\#(secondID)","display":"second.user@okta.local"}]}]}
                    """#
            )
            #expect(response.status == .noContent)
            group = try await okta.send(.get, "/Groups/\(groupID)").json()
            #expect(group["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [secondID])
            // The user's groups are derived from membership.
            let second = try await okta.send(.get, "/Users/\(secondID)").json()
            #expect(second["groups"]?[0]?["value"]?.stringValue == groupID)

            // Push now: replace members; pushing an empty group: replace with [].
            response = try await okta.send(
                .patch,
                "/Groups/\(groupID)",
                body:
                    #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","path":"members","value":[{"value":"\#(userID)","display":"test.user@okta.local"},{"value":"\#(secondID)","display":"second.user@okta.local"}]}]}"#
            )
            #expect(response.status == .noContent)
            group = try await okta.send(.get, "/Groups/\(groupID)").json()
            #expect(group["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [userID, secondID])
            response = try await okta.send(
                .patch,
                "/Groups/\(groupID)",
                body: #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","path":"members","value":[]}]}"#
            )
            #expect(response.status == .noContent)
            group = try await okta.send(.get, "/Groups/\(groupID)").json()
            #expect(group["members"]?.arrayValue?.isEmpty ?? true)

            // §1.11 Rename (OIN).
            response = try await okta.send(
                .patch,
                "/Groups/\(groupID)",
                body:
                    #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"id":"\#(groupID)","displayName":"Test SCIMv2 Renamed"}}]}"#
            )
            #expect(response.status == .noContent)
            #expect(try await okta.send(.get, "/Groups/\(groupID)").json()["displayName"]?.stringValue == "Test SCIMv2 Renamed")

            // §1.10–§1.12 AIW: POST with members, GET, PUT with the same content, PUT with the full list, PUT rename.
            response = try await okta.send(
                .post,
                "/Groups",
                body:
                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"AIW Group","members":[{"value":"\#(userID)","display":"test.user@okta.local"}]}"#
            )
            #expect(response.status == .created)
            let aiwGroupID = try #require(try response.json()["id"]?.stringValue)
            response = try await okta.send(.get, "/Groups/\(aiwGroupID)")
            #expect(response.status == .ok)
            response = try await okta.send(
                .put,
                "/Groups/\(aiwGroupID)",
                body:
                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"\#(aiwGroupID)","displayName":"AIW Group","members":[{"value":"\#(userID)","display":"test.user@okta.local"}]}"#
            )
            #expect(response.status == .ok)
            response = try await okta.send(
                .put,
                "/Groups/\(aiwGroupID)",
                body:
                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"AIW Group Renamed","members":[{"value":"\#(userID)","display":"test.user@okta.local"},{"value":"\#(secondID)","display":"second.user@okta.local"}]}"#
            )
            #expect(response.status == .ok)
            group = try response.json()
            #expect(group["displayName"]?.stringValue == "AIW Group Renamed")
            #expect(group["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [userID, secondID])

            // §1.13 Delete a group: Content-Type header, no body → 204.
            response = try await okta.send(.delete, "/Groups/\(groupID)")
            #expect(response.status == .noContent)
            #expect(response.body.readableBytes == 0)
            try expectSCIMError(try await okta.send(.get, "/Groups/\(groupID)"), status: 404)

            // §1.4 Import: one page of users and one of groups.
            response = try await okta.send(.get, "/Users?startIndex=1&count=100")
            list = try ListAndSearchTests.expectList(response, total: 2, items: 2)
            response = try await okta.send(.get, "/Groups?startIndex=1&count=100")
            list = try ListAndSearchTests.expectList(response, total: 1, items: 1)
        }
    }

    @Test("Import pages with count=100 while startIndex <= totalResults, in a stable order")
    func importPaging() async throws {
        try await withLiveApp(store: try await makeStore()) { client, directory in
            let okta = try Self.okta(client, directory)
            var created: [String] = []
            for index in 1...130 {
                let response = try await okta.send(
                    .post,
                    "/Users",
                    body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"user\#(index)@okta.local","active":true}"#
                )
                #expect(response.status == .created)
                created.append(try response.json()["id"]?.stringValue ?? "")
            }
            var seen: [String] = []
            var startIndex = 1
            var total = Int.max
            while startIndex <= total {
                let response = try await okta.send(.get, "/Users?startIndex=\(startIndex)&count=100")
                let list = try response.json()
                total = try #require(list["totalResults"]?.intValue)
                #expect(list["startIndex"]?.intValue == startIndex)
                let ids = list["Resources"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                #expect(list["itemsPerPage"]?.intValue == ids.count)
                seen += ids
                startIndex += 100
            }
            #expect(total == 130)
            #expect(seen == created)
        }
    }

    @Test("The SCIM 2.0 SPEC test (Runscope), steps 1–16 in order")
    func specTest() async throws {
        try await withLiveApp(store: try await makeStore()) { client, directory in
            var spec = try Self.okta(client, directory)
            spec.headers[.userAgent] = "OKTA SCIM Integration"
            // Before the run, at least one user with a name and emails must exist.
            let seeded = try await spec.send(
                .post,
                "/Users",
                body:
                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"existing@okta.local","name":{"givenName":"Existing","familyName":"Person"},"emails":[{"primary":true,"value":"existing@okta.local","type":"work"}],"active":true}"#
            )
            #expect(seeded.status == .created)

            // 1. GET /ServiceProviderConfig
            var response = try await spec.send(.get, "/ServiceProviderConfig")
            #expect(response.status == .ok)
            let config = try response.json()
            #expect(config["schemas"]?.arrayValue?.contains(.string(SCIMSchemaURN.serviceProviderConfig)) == true)
            for key in ["patch", "bulk", "filter", "changePassword", "sort", "etag", "authenticationSchemes"] {
                #expect(config[key]?.isPresent == true, "\(key)")
            }
            #expect(config["authenticationSchemes"]?[0]?["type"]?.isPresent == true)
            #expect(config["authenticationSchemes"]?[0]?["description"]?.isPresent == true)
            for (object, key) in [
                ("etag", "supported"), ("sort", "supported"), ("changePassword", "supported"), ("filter", "maxResults"), ("filter", "supported"),
                ("bulk", "supported"), ("bulk", "maxOperations"), ("bulk", "maxPayloadSize"), ("patch", "supported"),
            ] {
                #expect(config[object]?[key]?.isPresent == true, "\(object).\(key)")
            }
            #expect((config["bulk"]?["maxOperations"]?.intValue ?? 0) > 0 && (config["bulk"]?["maxPayloadSize"]?.intValue ?? 0) > 0)

            // 2. POST /ServiceProviderConfig with the body test\r\n\r\n → 405.
            response = try await spec.send(.post, "/ServiceProviderConfig", body: "test\r\n\r\n")
            try expectSCIMError(response, status: 405)

            // 3. GET /ResourceTypes
            response = try await spec.send(.get, "/ResourceTypes")
            #expect(response.status == .ok)
            var json = try response.json()
            #expect(json["schemas"]?[0]?.stringValue == SCIMSchemaURN.listResponse)
            #expect(json["Resources"]?[0]?["name"]?.isPresent == true)
            #expect(json["Resources"]?[0]?["endpoint"]?.isPresent == true)
            #expect(json["Resources"]?[0]?["schema"]?.isPresent == true)

            // 4. POST /ResourceTypes with the body test → 405.
            try expectSCIMError(try await spec.send(.post, "/ResourceTypes", body: "test"), status: 405)

            // 5. GET /Schemas
            response = try await spec.send(.get, "/Schemas")
            #expect(response.status == .ok)
            json = try response.json()
            #expect(json["schemas"]?[0]?.stringValue == SCIMSchemaURN.listResponse)
            #expect(json["Resources"]?[0]?["id"]?.isPresent == true)
            #expect(json["Resources"]?[0]?["attributes"]?.isPresent == true)

            // 6. POST /Schemas with the body test → 405.
            try expectSCIMError(try await spec.send(.post, "/Schemas", body: "test"), status: 405)

            // 7. GET /Users?count=1&startIndex=1
            response = try await spec.send(.get, "/Users?count=1&startIndex=1")
            json = try ListAndSearchTests.expectList(response, total: 1, items: 1)
            let first = try #require(json["Resources"]?[0])
            let isvUserID = try #require(first["id"]?.stringValue)
            for key in ["id", "userName", "active"] { #expect(first[key]?.isPresent == true, "\(key)") }
            #expect(first["name"]?["familyName"]?.isPresent == true && first["name"]?["givenName"]?.isPresent == true)
            #expect(first["emails"]?[0]?["value"]?.isPresent == true)

            // 8. GET /Users/{ISVUserid}
            response = try await spec.send(.get, "/Users/\(isvUserID)")
            #expect(response.status == .ok)
            json = try response.json()
            #expect(json["id"]?.stringValue == isvUserID)
            #expect(json["name"]?["familyName"]?.stringValue == "Person")

            // 9. GET /Users?filter=userName eq "{InvalidUserEmail}" → 200, totalResults 0.
            response = try await spec.send(.get, "/Users?filter=userName%20eq%20%22invalid-user-4a7f%40example.com%22")
            try ListAndSearchTests.expectList(response, total: 0, items: 0)

            // 10. GET /Users/{UserIdThatDoesNotExist} → 404 with a detail.
            try expectSCIMError(try await spec.send(.get, "/Users/010101001010101011001010101011"), status: 404)

            // 11. GET /Users?filter=userName eq "{randomEmail}" → 200, totalResults 0.
            let random = "Rkqhuhmlx@atko.com"
            response = try await spec.send(.get, "/Users?filter=userName%20eq%20%22\(random.replacingAt())%22")
            try ListAndSearchTests.expectList(response, total: 0, items: 0)

            // 12. POST /Users with only Authorization and Accept: no Content-Type.
            let createBody = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(random)",
                 "name":{"givenName":"Rkqhuhmlx","familyName":"Vjbzsfzpv"},
                 "emails":[{"primary":true,"value":"\#(random)","type":"work"}],"displayName":"Rkqhuhmlx Vjbzsfzpv","active":true}
                """#
            let bare: HTTPFields = [.authorization: "Bearer \(directory.token)", .accept: "application/scim+json"]
            response = try await spec.send(.post, "/Users", body: createBody, headers: bare)
            #expect(response.status == .created, "\(response.bodyText)")
            json = try response.json()
            let idUserOne = try #require(json["id"]?.stringValue)
            #expect(!idUserOne.isEmpty)
            #expect(json["active"] == .bool(true))
            #expect(json["name"]?["givenName"]?.stringValue == "Rkqhuhmlx" && json["name"]?["familyName"]?.stringValue == "Vjbzsfzpv")
            #expect(json["schemas"]?.arrayValue?.contains(.string(SCIMSchemaURN.user)) == true)
            #expect(json["userName"]?.stringValue == random)

            // 13. GET /Users/{idUserOne}
            response = try await spec.send(.get, "/Users/\(idUserOne)")
            #expect(response.status == .ok)
            json = try response.json()
            #expect(json["userName"]?.stringValue == random && json["name"]?["givenName"]?.stringValue == "Rkqhuhmlx")

            // 14. Repeat step 12 → 409.
            try expectSCIMError(try await spec.send(.post, "/Users", body: createBody, headers: bare), status: 409)

            // 15. Username case check: the user in capitals → 200 with the one match.
            response = try await spec.send(.get, "/Users?filter=userName%20eq%20%22\(random.uppercased().replacingAt())%22")
            json = try ListAndSearchTests.expectList(response, total: 1, items: 1)
            #expect(json["Resources"]?[0]?["id"]?.stringValue == idUserOne)
            // The 2016 revision's filter={caps} is not a filter: 400.
            try expectSCIMError(
                try await spec.send(.get, "/Users?filter=\(random.uppercased().replacingAt())"),
                status: 400,
                scimType: "invalidFilter"
            )

            // 16. GET /Groups
            response = try await spec.send(.get, "/Groups")
            #expect(response.status == .ok)
            #expect(try response.json()["Resources"]?.arrayValue != nil)
        }
    }
}

extension String {
    /// The string with `@` percent-encoded, as it appears in a query.
    func replacingAt() -> String {
        split(separator: "@", omittingEmptySubsequences: false).joined(separator: "%40")
    }
}
