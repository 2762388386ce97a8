import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RosterCore
import RosterTestSupport

/// A real local HTTP server that receives webhooks: it records each POST (headers and raw body), and can answer
/// with failures or slowly, as a misbehaving application would.
actor WebhookReceiver {
    /// One received POST.
    struct Received: Sendable {
        /// `Roster-Event-Id`.
        var eventID: String
        /// `Roster-Signature`.
        var signature: String
        /// The raw body.
        var body: [UInt8]
        /// The event's `sequence`.
        var sequence: Int64
    }

    /// Everything received, in arrival order (including requests answered with a failure).
    private(set) var received: [Received] = []
    /// The sequence numbers of the requests answered 200, in order.
    private(set) var delivered: [Int64] = []
    /// How many of the next requests get a 500.
    private var failuresLeft: Int
    /// How long each answer takes.
    private let delay: Duration

    /// Makes a receiver that fails the first `failures` requests and answers each after `delay`.
    init(failures: Int = 0, delay: Duration = .zero) {
        failuresLeft = failures
        self.delay = delay
    }

    /// Records a request and decides its status.
    func receive(_ request: Received) -> HTTPResponse.Status {
        received.append(request)
        if failuresLeft > 0 {
            failuresLeft -= 1
            return .internalServerError
        }
        delivered.append(request.sequence)
        return .ok
    }

    /// Sets how many of the next requests fail.
    func fail(next count: Int) { failuresLeft = count }

    /// The router of the receiving app.
    nonisolated func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1_048_576)
            let bytes = Array(body.readableBytesView)
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            let received = Received(
                eventID: request.headers.first { $0.name.canonicalName == "roster-event-id" }?.value ?? "",
                signature: request.headers.first { $0.name.canonicalName == "roster-signature" }?.value ?? "",
                body: bytes,
                sequence: (object?["sequence"] as? NSNumber)?.int64Value ?? -1
            )
            if self.delay > .zero { try await Task.sleep(for: self.delay) }
            return Response(status: await self.receive(received))
        }
        return router
    }

    /// Runs a live receiver on a free port for the duration of `body`, passing its URL.
    nonisolated func serve(_ body: @Sendable (String) async throws -> Void) async throws {
        let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hook")
        }
    }

    /// Runs a receiver on `port` (HummingbirdTesting's live mode always picks its own) for the duration of `body`.
    nonisolated func serve(port: Int, _ body: @Sendable () async throws -> Void) async throws {
        let (started, continuation) = AsyncStream.makeStream(of: Void.self)
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in continuation.yield() }
        )
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        for await _ in started { break }
        try await body()
        server.cancel()
        _ = await server.result
    }
}
