import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterServer
import RosterTestSupport
import SCIM
import Testing

@Suite("Errors, limits and unknown paths")
struct ErrorHandlingTests {
    /// A store failure that is not a SCIM error, whose text must not reach the client.
    struct DatabaseExploded: Error, CustomStringConvertible {
        /// Internals that must stay in the log.
        var description: String { "disk I/O error: secret internals" }
    }

    @Test("Unknown paths under the SCIM prefix are a 404 SCIM error, whatever the method")
    func unknownPaths() async throws {
        try await withRouterApp { client, directory in
            for path in ["/nope", "/Users/x/y", "/Me", "", "/", "/users", "/3fa85f64-5717-4562-b3fc-2c963f66afa6"] {
                for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
                    let response = try await client.scim(method, path, in: directory, body: method == .get ? nil : "{}")
                    try expectSCIMError(response, status: 404)
                }
            }
            try expectSCIMError(try await client.scim(.head, "/Users", in: directory), status: 404)
        }
    }

    @Test("Unsupported methods on resource routes are 405 with Allow")
    func methodNotAllowed() async throws {
        try await withRouterApp { client, directory in
            let collection = try await client.scim(.delete, "/Users", in: directory)
            try expectSCIMError(collection, status: 405)
            #expect(collection.headers[.allow] == "GET, POST")
            let item = try await client.scim(.post, "/Groups/abc", in: directory, body: "{}")
            try expectSCIMError(item, status: 405)
            #expect(item.headers[.allow] == "GET, PUT, PATCH, DELETE")
        }
    }

    @Test("A body over the limit is 413, by Content-Length or by its bytes")
    func tooLarge() async throws {
        try await withRouterApp(configuration: testConfiguration(maxBodyBytes: 64)) { client, directory in
            let big = #"{"userName":"\#(String(repeating: "a", count: 100))@x.com"}"#
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: big), status: 413)
            try expectSCIMError(try await client.scim(.post, "/Users/.search", in: directory, body: big), status: 413)
            #expect(try await client.scim(.post, "/Users", in: directory, body: #"{"userName":"a@x.com"}"#).status == .created)
            let list = try await client.scim(.get, "/Users", in: directory).json()
            #expect(list["totalResults"]?.intValue == 1)
        }
    }

    @Test("An unexpected store error is a 500 SCIM error with a generic detail")
    func unexpectedError() async throws {
        let store = try SpyStore()
        try await withRouterApp(store: store) { client, directory in
            await store.inject(DatabaseExploded())
            for (method, path, body) in [
                (HTTPRequest.Method.get, "/Users", nil), (.get, "/Users/x", nil), (.post, "/Users", #"{"userName":"a"}"#),
                (.delete, "/Groups/x", nil),
            ] as [(HTTPRequest.Method, String, String?)] {
                let response = try await client.scim(method, path, in: directory, body: body)
                try expectSCIMError(response, status: 500)
                #expect(try response.json()["detail"]?.stringValue == "The server could not complete the request.")
                #expect(!response.bodyText.contains("secret"))
            }
            await store.inject(nil)
            #expect(try await client.scim(.get, "/Users", in: directory).status == .ok)
        }
    }

    @Test("Deeply nested JSON is a 400, not a crash")
    func deepNesting() async throws {
        try await withRouterApp { client, directory in
            let body = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: body), status: 400, scimType: "invalidSyntax")
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: "\u{FFFD}\u{0}"), status: 400)
        }
    }

    @Test("A body that repeats a member name is a 400 invalidSyntax naming it")
    func repeatedMemberNames() async throws {
        try await withRouterApp { client, directory in
            let response = try await client.scim(.post, "/Users", in: directory, body: #"{"userName":"a@x.com","userName":"b@x.com"}"#)
            try expectSCIMError(response, status: 400, scimType: "invalidSyntax")
            #expect(String(buffer: response.body).contains("userName"))
            let nested = #"{"userName":"c@x.com","name":{"givenName":"A","givenName":"B"}}"#
            try expectSCIMError(try await client.scim(.post, "/Users", in: directory, body: nested), status: 400, scimType: "invalidSyntax")
        }
    }

    @Test("A long hostile filter is a 400, not a crash")
    func hostileFilter() async throws {
        try await withRouterApp { client, directory in
            let filter = String(repeating: "%28", count: 5_000) + "userName+eq+%22x%22" + String(repeating: "%29", count: 5_000)
            try expectSCIMError(try await client.scim(.get, "/Users?filter=\(filter)", in: directory), status: 400, scimType: "invalidFilter")
        }
    }
}
