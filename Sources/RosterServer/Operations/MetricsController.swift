import Hummingbird
import RosterCore

/// `GET /metrics` in the Prometheus text format: the request and webhook counters as they run, and the user, group
/// and webhook backlog gauges read from the store at scrape time. The metrics name every directory and its user
/// counts, and Roster usually faces the internet (the IdP must reach it), so they are private by default: only with
/// a token (`METRICS_TOKEN`) set, and only to a scrape that presents it as `Authorization: Bearer …`. Without one,
/// `/metrics` answers 404.
struct MetricsController<Store: RosterStore & ConsoleStore & WebhookStore>: Sendable {
    /// Where the gauges are read.
    let store: Store
    /// The registry.
    let metrics: RosterMetrics
    /// The SHA-256 hash of the token a scrape must present; nil turns the metrics off.
    let tokenHash: [UInt8]?

    /// Adds the route.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/metrics", use: scrape)
    }

    /// GET /metrics.
    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let tokenHash else {
            return Response(
                status: .notFound,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "Metrics are off. Start Roster with METRICS_TOKEN to scrape them.\n"))
            )
        }
        let presented = AuthorizationHeader.bearerToken(in: request.headers[.authorization]) ?? ""
        guard BearerToken.matches(presented, storedHash: tokenHash) else {
            return Response(
                status: .unauthorized,
                headers: [.wwwAuthenticate: "Bearer realm=\"metrics\"", .contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "Scrape with Authorization: Bearer METRICS_TOKEN\n"))
            )
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
