import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterServer
import RosterTestSupport
import SCIM
import Testing

@Suite("Lists, filters, paging and .search")
struct ListAndSearchTests {
    /// Asserts the shape of a ListResponse and returns it.
    @discardableResult
    static func expectList(
        _ response: TestResponse,
        total: Int,
        startIndex: Int = 1,
        items: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> JSONValue {
        #expect(response.status == .ok, "\(response.bodyText)", sourceLocation: sourceLocation)
        #expect(response.isSCIM, sourceLocation: sourceLocation)
        let json = try response.json()
        #expect(json["schemas"]?[0]?.stringValue == SCIMSchemaURN.listResponse, sourceLocation: sourceLocation)
        #expect(json["totalResults"]?.intValue == total, sourceLocation: sourceLocation)
        #expect(json["startIndex"]?.intValue == startIndex, sourceLocation: sourceLocation)
        #expect(json["itemsPerPage"]?.intValue == items, sourceLocation: sourceLocation)
        #expect(json["Resources"]?.arrayValue?.count == items, sourceLocation: sourceLocation)
        return json
    }

    /// The userNames of a ListResponse's resources, in order.
    static func userNames(_ list: JSONValue) -> [String] {
        list["Resources"]?.arrayValue?.compactMap { $0["userName"]?.stringValue } ?? []
    }

    @Test("An empty directory lists 200 with integer paging fields and Resources []")
    func empty() async throws {
        try await withRouterApp { client, directory in
            try Self.expectList(try await client.scim(.get, "/Users?startIndex=1&count=2", in: directory), total: 0, items: 0)
            try Self.expectList(try await client.scim(.get, "/Groups?startIndex=1&count=100", in: directory), total: 0, items: 0)
            try Self.expectList(try await client.scim(.get, "/Users", in: directory), total: 0, items: 0)
        }
    }

    @Test("Paging: startIndex and count, stable order, count=0, count above the maximum, startIndex below 1")
    func paging() async throws {
        try await withRouterApp(configuration: testConfiguration(defaultPageSize: 4, maxPageSize: 3)) { client, directory in
            var names: [String] = []
            for index in 1...5 {
                let name = "user\(index)@x.com"
                _ = try await client.createUser(named: name, in: directory)
                names.append(name)
            }
            let first = try Self.expectList(try await client.scim(.get, "/Users?startIndex=1&count=2", in: directory), total: 5, items: 2)
            let second = try Self.expectList(
                try await client.scim(.get, "/Users?startIndex=3&count=2", in: directory),
                total: 5,
                startIndex: 3,
                items: 2
            )
            let third = try Self.expectList(
                try await client.scim(.get, "/Users?startIndex=5&count=2", in: directory),
                total: 5,
                startIndex: 5,
                items: 1
            )
            #expect(Self.userNames(first) + Self.userNames(second) + Self.userNames(third) == names)
            let none = try Self.expectList(try await client.scim(.get, "/Users?count=0", in: directory), total: 5, items: 0)
            #expect(none["Resources"]?.arrayValue == [])
            try Self.expectList(try await client.scim(.get, "/Users?count=100", in: directory), total: 5, items: 3)
            try Self.expectList(try await client.scim(.get, "/Users", in: directory), total: 5, items: 3)
            try Self.expectList(try await client.scim(.get, "/Users?startIndex=0&count=1", in: directory), total: 5, items: 1)
            try Self.expectList(try await client.scim(.get, "/Users?startIndex=9", in: directory), total: 5, startIndex: 9, items: 0)
            try expectSCIMError(try await client.scim(.get, "/Users?count=ten", in: directory), status: 400, scimType: "invalidValue")
        }
    }

    @Test("The default page size comes from the configuration")
    func defaultPageSize() async throws {
        try await withRouterApp(configuration: testConfiguration(defaultPageSize: 2)) { client, directory in
            for index in 1...3 { _ = try await client.createUser(named: "u\(index)@x.com", in: directory) }
            try Self.expectList(try await client.scim(.get, "/Users", in: directory), total: 3, items: 2)
        }
    }

    @Test("Filters arrive with + or %20 for spaces and %22/%40 escapes; no match is 200 with totalResults 0")
    func filterEncodings() async throws {
        try await withRouterApp { client, directory in
            _ = try await client.createUser(named: "jane.doe@example.com", in: directory)
            _ = try await client.createUser(named: "john@example.com", in: directory)
            let plus = try await client.scim(.get, "/Users?filter=userName+eq+%22jane.doe%40example.com%22&startIndex=1&count=100", in: directory)
            #expect(Self.userNames(try Self.expectList(plus, total: 1, items: 1)) == ["jane.doe@example.com"])
            let percent = try await client.scim(
                .get,
                "/Users?filter=userName%20eq%20%22jane.doe%40example.com%22&startIndex=1&count=100",
                in: directory
            )
            try Self.expectList(percent, total: 1, items: 1)
            let caps = try await client.scim(.get, "/Users?filter=userName+eq+%22JANE.DOE%40EXAMPLE.COM%22", in: directory)
            try Self.expectList(caps, total: 1, items: 1)
            let none = try await client.scim(.get, "/Users?filter=userName+eq+%22nobody%40example.com%22", in: directory)
            try Self.expectList(none, total: 0, items: 0)
            let oneLogin = try await client.scim(.get, "/Users?filter=userName+eq+%22john%40example.com%22&", in: directory)
            try Self.expectList(oneLogin, total: 1, items: 1)
            let flagged = try await client.scim(.get, "/Users?aadOptscim062020&filter=userName%20eq%20%22john%40example.com%22", in: directory)
            try Self.expectList(flagged, total: 1, items: 1)
        }
    }

    @Test("A bad filter, or one invalid for the resource type, is 400 invalidFilter")
    func badFilters() async throws {
        try await withRouterApp { client, directory in
            try expectSCIMError(try await client.scim(.get, "/Users?filter=userName+eq", in: directory), status: 400, scimType: "invalidFilter")
            try expectSCIMError(try await client.scim(.get, "/Users?filter=JANE%40X.COM", in: directory), status: 400, scimType: "invalidFilter")
            try expectSCIMError(try await client.scim(.get, "/Users?filter=active+gt+true", in: directory), status: 400, scimType: "invalidFilter")
            try expectSCIMError(try await client.scim(.get, "/Users?filter=name+eq+%22x%22", in: directory), status: 400, scimType: "invalidFilter")
            try expectSCIMError(try await client.scim(.get, "/Users?sortOrder=sideways", in: directory), status: 400, scimType: "invalidValue")
        }
    }

    @Test("Entra's group probe: excludedAttributes=members with a displayName filter")
    func entraGroupProbe() async throws {
        try await withRouterApp { client, directory in
            let user = try await client.createUser(named: "a@x.com", in: directory)
            _ = try await client.createGroup(named: "displayName", members: [user], in: directory)
            let response = try await client.scim(.get, "/Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22", in: directory)
            let list = try Self.expectList(response, total: 1, items: 1)
            #expect(list["Resources"]?[0]?["members"] == nil)
            #expect(list["Resources"]?[0]?["id"] != nil)
        }
    }

    @Test("attributes applies to every listed resource")
    func listProjection() async throws {
        try await withRouterApp { client, directory in
            _ = try await client.createUser(named: "a@x.com", in: directory)
            let list = try Self.expectList(try await client.scim(.get, "/Users?attributes=userName,emails", in: directory), total: 1, items: 1)
            let user = try #require(list["Resources"]?[0])
            #expect(user["userName"] != nil && user["emails"] != nil && user["id"] != nil)
            #expect(user["name"] == nil && user["active"] == nil)
        }
    }

    @Test("POST /Users/.search and /Groups/.search take a SearchRequest body")
    func resourceSearch() async throws {
        try await withRouterApp { client, directory in
            _ = try await client.createUser(named: "a@x.com", in: directory)
            _ = try await client.createUser(named: "b@x.com", in: directory)
            _ = try await client.createGroup(named: "Team", in: directory)
            let body = #"""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":["userName"],
                 "filter":"userName sw \"a\"","startIndex":1,"count":10}
                """#
            let list = try Self.expectList(try await client.scim(.post, "/Users/.search", in: directory, body: body), total: 1, items: 1)
            #expect(list["Resources"]?[0]?["userName"]?.stringValue == "a@x.com")
            #expect(list["Resources"]?[0]?["emails"] == nil)
            let groups = try await client.scim(.post, "/Groups/.search", in: directory, body: #"{"excludedAttributes":["members"]}"#)
            try Self.expectList(groups, total: 1, items: 1)
            try expectSCIMError(
                try await client.scim(.post, "/Users/.search", in: directory, body: #"{"filter":"userName zz 1"}"#),
                status: 400,
                scimType: "invalidFilter"
            )
            try expectSCIMError(try await client.scim(.post, "/Users/.search", in: directory, body: "[]"), status: 400, scimType: "invalidSyntax")
            try expectSCIMError(try await client.scim(.post, "/Users/.search", in: directory, body: "{"), status: 400, scimType: "invalidSyntax")
            try expectSCIMError(try await client.scim(.get, "/Users/.search", in: directory), status: 405)
        }
    }

    @Test("POST /.search pages across Users then Groups")
    func rootSearch() async throws {
        try await withRouterApp { client, directory in
            _ = try await client.createUser(named: "u1@x.com", in: directory)
            _ = try await client.createUser(named: "u2@x.com", in: directory)
            for name in ["g1", "g2", "g3"] { _ = try await client.createGroup(named: name, in: directory) }
            func page(_ start: Int, _ count: Int) async throws -> [String] {
                let body = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"startIndex":\#(start),"count":\#(count)}"#
                let response = try await client.scim(.post, "/.search", in: directory, body: body)
                let expected = max(0, min(count, 5 - start + 1))
                let list = try Self.expectList(response, total: 5, startIndex: start, items: expected)
                return list["Resources"]?.arrayValue?.compactMap { $0["userName"]?.stringValue ?? $0["displayName"]?.stringValue } ?? []
            }
            #expect(try await page(1, 10) == ["u1@x.com", "u2@x.com", "g1", "g2", "g3"])
            #expect(try await page(2, 2) == ["u2@x.com", "g1"])
            #expect(try await page(3, 2) == ["g1", "g2"])
            #expect(try await page(5, 3) == ["g3"])
            #expect(try await page(1, 0) == [])
            #expect(try await page(6, 3) == [])
            let filtered = try await client.scim(
                .post,
                "/.search",
                in: directory,
                body: #"{"filter":"displayName eq \"g2\"","attributes":["displayName"]}"#
            )
            let list = try Self.expectList(filtered, total: 1, items: 1)
            #expect(list["Resources"]?[0]?["displayName"]?.stringValue == "g2")
            #expect(list["Resources"]?[0]?["meta"] == nil)
            try expectSCIMError(
                try await client.scim(.post, "/.search", in: directory, body: #"{"filter":"active gt true"}"#),
                status: 400,
                scimType: "invalidFilter"
            )
            try expectSCIMError(try await client.scim(.get, "/.search", in: directory), status: 405)
        }
    }
}
