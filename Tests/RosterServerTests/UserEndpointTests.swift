import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterServer
import RosterTestSupport
import SCIM
import Testing

@Suite("/Users endpoints")
struct UserEndpointTests {
    /// Okta's user push body (docs/IDP-BEHAVIOURS.md §1.5).
    static let jane = #"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane@x.com","name":{"givenName":"Jane","familyName":"Doe"},
         "emails":[{"primary":true,"value":"jane@x.com","type":"work"}],"displayName":"Jane Doe","externalId":"00u1",
         "groups":[],"password":"1mz050nq","active":true}
        """#

    @Test("POST gives 201 with id, meta, Location equal to meta.location, ETag equal to meta.version, and no password")
    func create() async throws {
        try await withRouterApp { client, directory in
            let response = try await client.scim(.post, "/Users", in: directory, body: Self.jane)
            #expect(response.status == .created)
            #expect(response.isSCIM)
            let user = try response.json()
            let id = try #require(user["id"]?.stringValue)
            #expect(!id.isEmpty)
            #expect(user["meta"]?["location"]?.stringValue == directory.baseURL + "/Users/" + id)
            #expect(response.headers[.location] == user["meta"]?["location"]?.stringValue)
            #expect(response.headers[.eTag] == user["meta"]?["version"]?.stringValue)
            #expect(user["meta"]?["resourceType"]?.stringValue == "User")
            #expect(user["meta"]?["created"] != nil && user["meta"]?["lastModified"] != nil)
            #expect(user["userName"]?.stringValue == "jane@x.com")
            #expect(user["name"]?["givenName"]?.stringValue == "Jane")
            #expect(user["active"] == .bool(true))
            #expect(user["password"] == nil)
            #expect(!response.bodyText.contains("1mz050nq"))
        }
    }

    @Test("POST honours attributes and excludedAttributes in the response")
    func createProjected() async throws {
        try await withRouterApp { client, directory in
            let response = try await client.scim(.post, "/Users?attributes=userName", in: directory, body: Self.jane)
            #expect(response.status == .created)
            let user = try response.json()
            #expect(user["id"] != nil)
            #expect(user["userName"] != nil)
            #expect(user["name"] == nil)
            #expect(user["emails"] == nil)
        }
    }

    @Test("A duplicate userName, in any case, gets 409 uniqueness")
    func duplicate() async throws {
        try await withRouterApp { client, directory in
            _ = try await client.createUser(Self.jane, in: directory)
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: Self.jane), status: 409, scimType: "uniqueness")
            let shouting = Self.jane.replacingOccurrences(of: #""userName":"jane@x.com""#, with: #""userName":"JANE@X.COM""#)
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: shouting), status: 409, scimType: "uniqueness")
        }
    }

    @Test("Bad bodies get 400 and write nothing")
    func badBodies() async throws {
        try await withRouterApp { client, directory in
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: #"{"not":"a scim resource"}"#), status: 400)
            try expectSCIMError(
                try await client.scim(
                    .post,
                    "/Users",
                    in: directory,
                    body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"active":true}"#
                ),
                status: 400,
                scimType: "invalidValue"
            )
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: #"{"userName":"#), status: 400, scimType: "invalidSyntax")
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: "[1,2]"), status: 400)
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: ""), status: 400, scimType: "invalidSyntax")
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory), status: 400, scimType: "invalidSyntax")
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: #"{"userName":{"first":"a"}}"#), status: 400)
            let list = try await client.scim(.get, "/Users", in: directory).json()
            #expect(list["totalResults"]?.intValue == 0)
        }
    }

    @Test("Bodies parse as JSON with any Content-Type, or none")
    func contentTypes() async throws {
        try await withRouterApp { client, directory in
            let types: [String?] = [
                "application/scim+json", "application/json", "application/scim+json; charset=utf-8", "application/json;charset=UTF-8", "text/plain",
                nil,
            ]
            for (index, type) in types.enumerated() {
                let body = #"{"userName":"user\#(index)@x.com"}"#
                let response = try await client.scim(.post, "/Users", in: directory, body: body, contentType: type)
                #expect(response.status == .created, "\(type ?? "none"): \(response.bodyText)")
                #expect(response.isSCIM)
            }
        }
    }

    @Test("GET by id gives 200 with an ETag; an unknown id gives 404 with a detail")
    func get() async throws {
        try await withRouterApp { client, directory in
            let created = try await client.createUser(Self.jane, in: directory)
            let id = try #require(created["id"]?.stringValue)
            let response = try await client.scim(.get, "/Users/\(id)", in: directory)
            #expect(response.status == .ok)
            #expect(response.isSCIM)
            #expect(response.headers[.eTag] == created["meta"]?["version"]?.stringValue)
            #expect(try response.json()["userName"]?.stringValue == "jane@x.com")
            try expectSCIMError(try await client.scim(.get, "/Users/010101001010101011001010101011", in: directory), status: 404)
        }
    }

    @Test("GET by id honours attributes and excludedAttributes")
    func getProjected() async throws {
        try await withRouterApp { client, directory in
            let id = try #require(try await client.createUser(Self.jane, in: directory)["id"]?.stringValue)
            let only = try await client.scim(.get, "/Users/\(id)?attributes=userName,name.givenName", in: directory).json()
            #expect(only["id"] != nil && only["userName"] != nil)
            #expect(only["name"]?["givenName"] != nil && only["name"]?["familyName"] == nil)
            #expect(only["emails"] == nil && only["active"] == nil)
            let without = try await client.scim(.get, "/Users/\(id)?excludedAttributes=emails,name", in: directory).json()
            #expect(without["emails"] == nil && without["name"] == nil)
            #expect(without["userName"] != nil && without["id"] != nil)
            try expectSCIMError(try await client.scim(.get, "/Users/\(id)?attributes=%5B%5D", in: directory), status: 400)
        }
    }

    @Test("If-None-Match with the current ETag gives 304 with no body; a stale one gives 200")
    func ifNoneMatch() async throws {
        try await withRouterApp { client, directory in
            let created = try await client.createUser(Self.jane, in: directory)
            let id = try #require(created["id"]?.stringValue)
            let etag = try #require(created["meta"]?["version"]?.stringValue)
            let notModified = try await client.scim(.get, "/Users/\(id)", in: directory, headers: [.ifNoneMatch: etag])
            #expect(notModified.status == .notModified)
            #expect(notModified.body.readableBytes == 0)
            #expect(notModified.headers[.eTag] == etag)
            #expect(try await client.scim(.get, "/Users/\(id)", in: directory, headers: [.ifNoneMatch: "*"]).status == .notModified)
            #expect(try await client.scim(.get, "/Users/\(id)", in: directory, headers: [.ifNoneMatch: #"W/"999""#]).status == .ok)
        }
    }

    @Test("PUT replaces and gives 200; read-only attributes and password are ignored, password never returned")
    func replace() async throws {
        try await withRouterApp { client, directory in
            let created = try await client.createUser(Self.jane, in: directory)
            let id = try #require(created["id"]?.stringValue)
            let body = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"\#(id)","userName":"jane@x.com",
                 "name":{"givenName":"Another","middleName":"Excited","familyName":"User"},
                 "emails":[{"primary":true,"value":"jane@x.com","type":"work","display":"jane@x.com"}],
                 "active":true,"groups":[],"password":"hunter2","meta":{"resourceType":"User","created":"04-12-2018 00:00:00","version":"v1.0"}}
                """#
            let response = try await client.scim(.put, "/Users/\(id)", in: directory, body: body)
            #expect(response.status == .ok, "\(response.bodyText)")
            #expect(response.isSCIM)
            let user = try response.json()
            #expect(user["name"]?["givenName"]?.stringValue == "Another")
            #expect(user["name"]?["middleName"]?.stringValue == "Excited")
            #expect(user["password"] == nil && !response.bodyText.contains("hunter2"))
            #expect(user["displayName"] == nil)  // omitted readWrite attributes are cleared
            #expect(response.headers[.eTag] == user["meta"]?["version"]?.stringValue)
            #expect(response.headers[.eTag] != created["meta"]?["version"]?.stringValue)
        }
    }

    @Test("PUT of an unknown id gives 404, a missing userName 400, a different id 400, a non-object 400")
    func replaceErrors() async throws {
        try await withRouterApp { client, directory in
            let id = try await client.createUser(named: "a@x.com", in: directory)
            try expectSCIMError(try await client.scim(.put, "/Users/unknown", in: directory, body: #"{"userName":"a@x.com"}"#), status: 404)
            try expectSCIMError(try await client.scim(.put, "/Users/\(id)", in: directory, body: #"{"userame":"a@x.com"}"#), status: 400)
            try expectSCIMError(
                try await client.scim(.put, "/Users/\(id)", in: directory, body: #"{"id":"other","userName":"a@x.com"}"#),
                status: 400
            )
            try expectSCIMError(try await client.scim(.put, "/Users/\(id)", in: directory, body: "[]"), status: 400)
            try expectSCIMError(try await client.scim(.put, "/Users/\(id)", in: directory, body: "nope"), status: 400, scimType: "invalidSyntax")
        }
    }

    @Test("If-Match: a stale version gives 412 on PUT, PATCH and DELETE; the current one or * is accepted")
    func ifMatch() async throws {
        try await withRouterApp { client, directory in
            let created = try await client.createUser(Self.jane, in: directory)
            let id = try #require(created["id"]?.stringValue)
            let etag = try #require(created["meta"]?["version"]?.stringValue)
            let stale: HTTPFields = [.ifMatch: #"W/"12345""#]
            let put = #"{"userName":"jane@x.com","active":true}"#
            let patch = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
            try expectSCIMError(try await client.scim(.put, "/Users/\(id)", in: directory, body: put, headers: stale), status: 412)
            try expectSCIMError(try await client.scim(.patch, "/Users/\(id)", in: directory, body: patch, headers: stale), status: 412)
            try expectSCIMError(try await client.scim(.delete, "/Users/\(id)", in: directory, headers: stale), status: 412)
            let patched = try await client.scim(.patch, "/Users/\(id)", in: directory, body: patch, headers: [.ifMatch: etag])
            #expect(patched.status == .ok)
            let newTag = try #require(patched.headers[.eTag])
            #expect(newTag != etag)
            try expectSCIMError(try await client.scim(.put, "/Users/\(id)", in: directory, body: put, headers: [.ifMatch: etag]), status: 412)
            #expect(try await client.scim(.put, "/Users/\(id)", in: directory, body: put, headers: [.ifMatch: "*"]).status == .ok)
        }
    }

    @Test("PATCH gives 200 with the full resource")
    func patch() async throws {
        try await withRouterApp { client, directory in
            let id = try #require(try await client.createUser(Self.jane, in: directory)["id"]?.stringValue)
            let body = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
            let response = try await client.scim(.patch, "/Users/\(id)", in: directory, body: body)
            #expect(response.status == .ok)
            #expect(response.isSCIM)
            let user = try response.json()
            #expect(user["active"] == .bool(false))
            #expect(user["name"]?["givenName"]?.stringValue == "Jane")
            #expect(user["emails"]?[0]?["value"]?.stringValue == "jane@x.com")
            #expect(response.headers[.eTag] == user["meta"]?["version"]?.stringValue)
            let reread = try await client.scim(.get, "/Users/\(id)", in: directory).json()
            #expect(reread["active"] == .bool(false))
        }
    }

    @Test("PATCH honours attributes and excludedAttributes")
    func patchProjected() async throws {
        try await withRouterApp { client, directory in
            let id = try #require(try await client.createUser(Self.jane, in: directory)["id"]?.stringValue)
            let body = #"{"Operations":[{"op":"Replace","path":"active","value":"False"}]}"#
            let response = try await client.scim(.patch, "/Users/\(id)?attributes=active", in: directory, body: body)
            #expect(response.status == .ok)
            let user = try response.json()
            #expect(user["active"] == .bool(false))
            #expect(user["userName"] == nil && user["id"] != nil)
        }
    }

    @Test("Bad PATCH bodies get 400 with the right scimType; unknown ids 404")
    func patchErrors() async throws {
        try await withRouterApp { client, directory in
            let id = try await client.createUser(named: "a@x.com", in: directory)
            try expectSCIMError(try await client.scim(.patch, "/Users/\(id)", in: directory, body: "{"), status: 400, scimType: "invalidSyntax")
            try expectSCIMError(
                try await client.scim(.patch, "/Users/\(id)", in: directory, body: #"{"Operations":[{"op":"move"}]}"#),
                status: 400,
                scimType: "invalidSyntax"
            )
            try expectSCIMError(
                try await client.scim(.patch, "/Users/\(id)", in: directory, body: #"{"foo":1}"#),
                status: 400,
                scimType: "invalidSyntax"
            )
            try expectSCIMError(
                try await client.scim(.patch, "/Users/\(id)", in: directory, body: #"{"Operations":[{"op":"remove"}]}"#),
                status: 400,
                scimType: "noTarget"
            )
            try expectSCIMError(
                try await client.scim(
                    .patch,
                    "/Users/\(id)",
                    in: directory,
                    body: #"{"Operations":[{"op":"replace","path":"emails[type eq","value":"x"}]}"#
                ),
                status: 400
            )
            try expectSCIMError(
                try await client.scim(.patch, "/Users/nope", in: directory, body: #"{"Operations":[{"op":"replace","value":{"active":false}}]}"#),
                status: 404
            )
        }
    }

    @Test("DELETE gives 204 with an empty body; then GET and DELETE give 404")
    func delete() async throws {
        try await withRouterApp { client, directory in
            let id = try await client.createUser(named: "a@x.com", in: directory)
            let response = try await client.scim(
                .delete,
                "/Users/\(id)",
                in: directory,
                headers: [.contentType: "application/scim+json; charset=utf-8"]
            )
            #expect(response.status == .noContent)
            #expect(response.body.readableBytes == 0)
            #expect(response.isSCIM)
            try expectSCIMError(try await client.scim(.get, "/Users/\(id)", in: directory), status: 404)
            try expectSCIMError(try await client.scim(.delete, "/Users/\(id)", in: directory), status: 404)
            let list = try await client.scim(.get, "/Users", in: directory).json()
            #expect(list["totalResults"]?.intValue == 0)
        }
    }

    @Test("A deactivated user stays visible by id and by filter")
    func deactivatedStaysVisible() async throws {
        try await withRouterApp { client, directory in
            let id = try #require(try await client.createUser(Self.jane, in: directory)["id"]?.stringValue)
            let body = #"{"Operations":[{"op":"replace","value":{"active":false}}]}"#
            #expect(try await client.scim(.patch, "/Users/\(id)", in: directory, body: body).status == .ok)
            let user = try await client.scim(.get, "/Users/\(id)", in: directory)
            #expect(user.status == .ok)
            #expect(try user.json()["active"] == .bool(false))
            let found = try await client.scim(.get, "/Users?filter=userName+eq+%22jane%40x.com%22", in: directory).json()
            #expect(found["totalResults"]?.intValue == 1)
        }
    }
}
