import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import NIOPosix
import RosterTestSupport
import Testing

@testable import RosterServer

/// Each connection's requests run on the event loop that owns its socket (``ConnectionLoopHTTP1Channel``), not on
/// Swift's cooperative pool, and spread over the loops as the connections do.
@Suite struct ConnectionLoopTests {
    /// An app whose one route says where it runs: on a NIO event loop ("loop"), or elsewhere ("pool").
    func application(server: HTTPServerBuilder) -> some ApplicationProtocol {
        let router = Router()
        router.get("/where") { _, _ -> String in
            MultiThreadedEventLoopGroup.currentEventLoop == nil ? "pool" : "loop"
        }
        return Application(router: router, server: server, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test func requestsRunOnTheirConnectionsLoop() async throws {
        try await application(server: .http1OnConnectionLoops()).test(.live) { client in
            for _ in 0..<5 {
                let answer = try await client.execute(uri: "/where", method: .get).bodyText
                #expect(answer == "loop")
            }
        }
    }

    @Test func hummingbirdsOwnChannelRunsThemOnThePool() async throws {
        // The control: the same route behind Hummingbird's channel, so the test above can tell the difference.
        try await application(server: .http1()).test(.live) { client in
            let answer = try await client.execute(uri: "/where", method: .get).bodyText
            #expect(answer == "pool")
        }
    }
}
