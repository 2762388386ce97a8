import Hummingbird
import RosterCore

/// `GET /metrics` in the Prometheus text format: the request and webhook counters as they run, and the user, group
/// and webhook backlog gauges read from the store at scrape time.
struct MetricsController<Store: RosterStore & ConsoleStore & WebhookStore>: Sendable {
    /// Where the gauges are read.
    let store: Store
    /// The registry.
    let metrics: RosterMetrics

    /// Adds the route.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/metrics", use: scrape)
    }

    /// GET /metrics.
    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
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
