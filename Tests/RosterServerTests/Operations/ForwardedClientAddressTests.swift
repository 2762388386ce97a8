import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterTestSupport
import Testing

@testable import RosterServer

/// The per-address limit on wrong tokens behind a load balancer, over real connections from 127.0.0.1:
/// `X-Forwarded-For` names the client only when the connection comes from a trusted proxy.
@Suite struct ForwardedClientAddressTests {
    /// Three wrong tokens "from" 203.0.113.1, then what a request with the right token "from" 203.0.113.2 gets.
    static func rightTokenAfterAnotherClientsWrongOnes(
        trusting proxies: String
    ) async throws -> (held: HTTPResponse.Status, other: HTTPResponse.Status) {
        var configuration = ServerConfiguration(port: 0, baseURL: testBaseURL, failedAuthenticationsPerMinute: 3)
        configuration.trustedProxies = try TrustedProxies(parsing: proxies)
        let store = try await makeStore()
        let directory = try await makeDirectory(in: store)
        let app = testApplication(store: store, configuration: configuration)
        return try await app.test(.live) { client in
            let wrong = TestDirectory(id: directory.id, token: "guess")
            func from(_ address: String) -> HTTPFields {
                [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7, \(address)"]
            }
            for _ in 0..<3 {
                #expect(try await client.scim(.get, "/Users", in: wrong, headers: from("203.0.113.1")).status == .unauthorized)
            }
            let held = try await client.scim(.get, "/Users", in: wrong, headers: from("203.0.113.1")).status
            let other = try await client.scim(.get, "/Users", in: directory, headers: from("203.0.113.2")).status
            return (held, other)
        }
    }

    @Test func aTrustedProxysForwardedAddressKeepsClientsApart() async throws {
        let result = try await Self.rightTokenAfterAnotherClientsWrongOnes(trusting: "127.0.0.1")
        #expect(result.held == .tooManyRequests, "the guessing client is held off")
        #expect(result.other == .ok, "another client behind the same proxy is not")
    }

    @Test func anUntrustedPeersForwardedForIsIgnored() async throws {
        for proxies in ["", "10.0.0.0/8, ::1"] {
            let result = try await Self.rightTokenAfterAnotherClientsWrongOnes(trusting: proxies)
            #expect(result.held == .tooManyRequests, "trusting \"\(proxies)\"")
            #expect(result.other == .tooManyRequests, "trusting \"\(proxies)\": a client cannot pick another address by sending the header")
        }
    }
}
