import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterServer
import RosterTestSupport
import SCIM
import Testing

@Suite("Discovery endpoints")
struct DiscoveryEndpointTests {
    @Test("GET /ServiceProviderConfig: every key the Okta SPEC test checks, filter.maxResults the maximum page size")
    func serviceProviderConfig() async throws {
        try await withRouterApp(configuration: testConfiguration(maxPageSize: 250)) { client, directory in
            let response = try await client.scim(.get, "/ServiceProviderConfig", in: directory)
            #expect(response.status == .ok)
            #expect(response.isSCIM)
            let config = try response.json()
            #expect(config["schemas"]?[0]?.stringValue == SCIMSchemaURN.serviceProviderConfig)
            #expect(config["filter"]?["maxResults"]?.intValue == 250)
            #expect(config["filter"]?["supported"] == .bool(true))
            #expect(config["patch"]?["supported"] == .bool(true))
            #expect(config["bulk"]?["supported"] == .bool(false))
            #expect((config["bulk"]?["maxOperations"]?.intValue ?? 0) > 0)
            #expect((config["bulk"]?["maxPayloadSize"]?.intValue ?? 0) > 0)
            #expect(config["changePassword"]?["supported"] != nil)
            #expect(config["sort"]?["supported"] != nil)
            #expect(config["etag"]?["supported"] == .bool(true))
            #expect(config["authenticationSchemes"]?[0]?["type"]?.stringValue == "oauthbearertoken")
            #expect(config["authenticationSchemes"]?[0]?["description"]?.stringValue?.isEmpty == false)
            #expect(config["meta"]?["location"]?.stringValue == directory.baseURL + "/ServiceProviderConfig")
        }
    }

    @Test("GET /ResourceTypes and /ResourceTypes/{id}; an unknown id is 404")
    func resourceTypes() async throws {
        try await withRouterApp { client, directory in
            let list = try await client.scim(.get, "/ResourceTypes", in: directory)
            let json = try ListAndSearchTests.expectList(list, total: 2, items: 2)
            #expect(json["Resources"]?[0]?["name"]?.stringValue == "User")
            #expect(json["Resources"]?[0]?["endpoint"]?.stringValue == "/Users")
            #expect(json["Resources"]?[0]?["schema"]?.stringValue == SCIMSchemaURN.user)
            #expect(json["Resources"]?[0]?["meta"]?["location"]?.stringValue == directory.baseURL + "/ResourceTypes/User")
            let group = try await client.scim(.get, "/ResourceTypes/Group", in: directory)
            #expect(group.status == .ok)
            #expect(try group.json()["endpoint"]?.stringValue == "/Groups")
            try expectSCIMError(try await client.scim(.get, "/ResourceTypes/Printer", in: directory), status: 404)
        }
    }

    @Test("GET /Schemas and /Schemas/{urn} (plain or percent-encoded); an unknown one is 404")
    func schemas() async throws {
        try await withRouterApp { client, directory in
            let list = try await client.scim(.get, "/Schemas", in: directory)
            #expect(list.status == .ok)
            let json = try list.json()
            let ids = json["Resources"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.contains(SCIMSchemaURN.user) && ids.contains(SCIMSchemaURN.group) && ids.contains(SCIMSchemaURN.enterpriseUser))
            #expect(
                ids.contains(SCIMSchemaURN.serviceProviderConfig) && ids.contains(SCIMSchemaURN.resourceType) && ids.contains(SCIMSchemaURN.schema)
            )
            #expect(json["totalResults"]?.intValue == ids.count)
            #expect(json["Resources"]?[0]?["attributes"]?.arrayValue?.isEmpty == false)
            let user = try await client.scim(.get, "/Schemas/\(SCIMSchemaURN.user)", in: directory)
            #expect(user.status == .ok)
            #expect(try user.json()["id"]?.stringValue == SCIMSchemaURN.user)
            let encoded = try await client.scim(.get, "/Schemas/urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Acore%3A2.0%3AGroup", in: directory)
            #expect(encoded.status == .ok)
            #expect(try encoded.json()["id"]?.stringValue == SCIMSchemaURN.group)
            try expectSCIMError(try await client.scim(.get, "/Schemas/urn:example:nope", in: directory), status: 404)
        }
    }

    @Test("A filter on a discovery endpoint is 403; other parameters are ignored")
    func filterForbidden() async throws {
        try await withRouterApp { client, directory in
            for path in ["/ServiceProviderConfig", "/ResourceTypes", "/Schemas", "/ResourceTypes/User", "/Schemas/\(SCIMSchemaURN.user)"] {
                try expectSCIMError(try await client.scim(.get, path + "?filter=name+eq+%22User%22", in: directory), status: 403)
            }
            #expect(try await client.scim(.get, "/Schemas?startIndex=2&count=1&sortBy=id", in: directory).status == .ok)
            #expect(try await client.scim(.get, "/ServiceProviderConfig?aadOptscim062020", in: directory).status == .ok)
        }
    }

    @Test("POST, PUT, PATCH and DELETE on discovery endpoints are 405, decided before the body is read")
    func writesNotAllowed() async throws {
        try await withRouterApp { client, directory in
            let paths = ["/ServiceProviderConfig", "/ResourceTypes", "/Schemas", "/ResourceTypes/User", "/Schemas/\(SCIMSchemaURN.user)"]
            for path in paths {
                for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
                    let response = try await client.scim(method, path, in: directory, body: "test\r\n\r\n")
                    try expectSCIMError(response, status: 405)
                    #expect(response.headers[.allow] == "GET")
                }
            }
        }
    }

    @Test("/Bulk answers 501")
    func bulk() async throws {
        try await withRouterApp { client, directory in
            let body = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[]}"#
            try expectSCIMError(try await client.scim(.post, "/Bulk", in: directory, body: body), status: 501)
            try expectSCIMError(try await client.scim(.get, "/Bulk", in: directory), status: 501)
        }
    }
}
