import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterServer
import RosterTestSupport
import SCIM
import Testing

@Suite("Bearer authentication and directory isolation")
struct AuthenticationTests {
    /// Every SCIM path the tests probe, discovery and unknown ones included.
    static let paths = [
        "/Users", "/Groups", "/Users/x", "/Groups/x", "/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/User", "/Schemas",
        "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "/Bulk", "/nope", "/Users/x/y",
    ]

    /// Asserts the one 401 every authentication failure gets.
    static func expectUnauthorized(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectSCIMError(response, status: 401, sourceLocation: sourceLocation)
        #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="Roster SCIM""#, sourceLocation: sourceLocation)
        #expect(try response.json()["detail"]?.stringValue == "A valid bearer token for this directory is required.", sourceLocation: sourceLocation)
    }

    @Test("A missing token gets 401 on every SCIM path, discovery and unknown paths included")
    func missingToken() async throws {
        try await withRouterApp { client, directory in
            for path in Self.paths {
                try Self.expectUnauthorized(try await client.scim(.get, path, in: directory, authenticated: false))
            }
            try Self.expectUnauthorized(try await client.scim(.post, "/Users", in: directory, body: "{}", authenticated: false))
        }
    }

    @Test("A wrong token, another scheme or an empty token gets 401")
    func wrongToken() async throws {
        try await withRouterApp { client, directory in
            for header in ["Bearer wrong", "Basic \(directory.token)", "Bearer", "Bearer   ", directory.token, "Token \(directory.token)"] {
                try Self.expectUnauthorized(try await client.scim(.get, "/Users", in: directory, headers: [.authorization: header]))
            }
        }
    }

    @Test("The scheme name is case-insensitive")
    func schemeCase() async throws {
        try await withRouterApp { client, directory in
            for scheme in ["bearer", "BEARER", "Bearer", "bEaReR"] {
                let response = try await client.scim(.get, "/Users", in: directory, headers: [.authorization: "\(scheme) \(directory.token)"])
                #expect(response.status == .ok)
            }
        }
    }

    @Test("Directory A's token on directory B's path gets the same 401 as a wrong token")
    func crossDirectory() async throws {
        let store = try await makeStore()
        let other = try await makeDirectory(in: store, name: "Other")
        try await withRouterApp(store: store) { client, directory in
            let userID = try await client.createUser(named: "a@x.com", in: directory)
            let crossed = TestDirectory(id: other.id, token: directory.token)
            try Self.expectUnauthorized(try await client.scim(.get, "/Users", in: crossed))
            try Self.expectUnauthorized(try await client.scim(.get, "/Users/\(userID)", in: crossed))
            // B's own token does not see A's user.
            try expectSCIMError(try await client.scim(.get, "/Users/\(userID)", in: other), status: 404)
            let list = try await client.scim(.get, "/Users", in: other).json()
            #expect(list["totalResults"]?.intValue == 0)
        }
    }

    @Test("An unknown directory gets the same 401")
    func unknownDirectory() async throws {
        try await withRouterApp { client, directory in
            let unknown = TestDirectory(id: "no-such-directory", token: directory.token)
            try Self.expectUnauthorized(try await client.scim(.get, "/Users", in: unknown))
            try Self.expectUnauthorized(try await client.execute(uri: SCIMPaths.prefix, method: .get))
            try Self.expectUnauthorized(try await client.execute(uri: SCIMPaths.prefix + "/", method: .get))
        }
    }

    @Test("A disabled directory never answers 2xx")
    func disabledDirectory() async throws {
        let store = try SpyStore()
        try await withRouterApp(store: store) { client, directory in
            #expect(try await client.scim(.get, "/Users", in: directory).status == .ok)
            await store.setEnabled(false, directoryID: directory.id)
            try Self.expectUnauthorized(try await client.scim(.get, "/Users", in: directory))
            try Self.expectUnauthorized(try await client.scim(.get, "/ServiceProviderConfig", in: directory))
            await store.setEnabled(true, directoryID: directory.id)
            #expect(try await client.scim(.get, "/Users", in: directory).status == .ok)
        }
    }

    @Test("A deleted directory gets 401")
    func deletedDirectory() async throws {
        let store = try await makeStore()
        try await withRouterApp(store: store) { client, directory in
            _ = try await store.deleteDirectory(id: directory.id)
            try Self.expectUnauthorized(try await client.scim(.get, "/Users", in: directory))
        }
    }

    @Test("A rotated token replaces the old one")
    func rotatedToken() async throws {
        let store = try await makeStore()
        try await withRouterApp(store: store) { client, directory in
            let (token, hash) = BearerToken.generate()
            _ = try await store.replaceTokenHash(directoryID: directory.id, tokenHash: hash)
            try Self.expectUnauthorized(try await client.scim(.get, "/Users", in: directory))
            #expect(try await client.scim(.get, "/Users", in: TestDirectory(id: directory.id, token: token)).status == .ok)
        }
    }

    @Test("Authentication is decided before the body is read or the method checked")
    func beforeBody() async throws {
        try await withRouterApp { client, directory in
            try Self.expectUnauthorized(
                try await client.scim(.post, "/ServiceProviderConfig", in: directory, body: "test\r\n\r\n", authenticated: false)
            )
            try Self.expectUnauthorized(try await client.scim(.post, "/Users", in: directory, body: "{not json", authenticated: false))
        }
    }

    @Test("Paths outside the SCIM prefix are not SCIM")
    func outsidePrefix() async throws {
        try await withRouterApp { client, _ in
            let response = try await client.execute(uri: "/api/scim/v2.0x/Users", method: .get)
            #expect(response.status == .notFound)
            #expect(response.headers[.wwwAuthenticate] == nil)
        }
    }
}
