import Hummingbird
import RosterCore

/// `GET /metrics` in the Prometheus text format: the request and webhook counters as they run, and the user, group
/// and webhook backlog gauges read from the store at scrape time. With a token (`METRICS_TOKEN`), a scrape must
/// present it as `Authorization: Bearer …`.
struct MetricsController<Store: RosterStore & ConsoleStore & WebhookStore>: Sendable {
    /// Where the gauges are read.
    let store: Store
    /// The registry.
    let metrics: RosterMetrics
    /// The SHA-256 hash of the token a scrape must present; nil lets anyone who reaches the port scrape.
    let tokenHash: [UInt8]?

    /// Adds the route.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/metrics", use: scrape)
    }

    /// GET /metrics.
    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let tokenHash {
            let presented = AuthorizationHeader.bearerToken(in: request.headers[.authorization]) ?? ""
            guard BearerToken.matches(presented, storedHash: tokenHash) else {
                return Response(
                    status: .unauthorized,
                    headers: [.wwwAuthenticate: "Bearer realm=\"metrics\"", .contentType: "text/plain; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "METRICS_TOKEN is set: scrape with Authorization: Bearer TOKEN\n"))
                )
            }
        }
        var directories: [(id: String, status: DirectoryStatus)] = []
        for directory in try await store.directories() {
            directories.append((directory.id, try await store.directoryStatus(directoryID: directory.id)))
        }
        metrics.recordStoreGauges(directories: directories, webhookBacklog: try await store.webhookBacklog())
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer()))
        )
    }
}
