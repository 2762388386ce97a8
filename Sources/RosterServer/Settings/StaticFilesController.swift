import Hummingbird

/// Serves the stylesheet and script compiled into the binary under `/static/`.
struct StaticFilesController: Sendable {
    /// The files by name.
    let files: [String: String]

    /// Serves ``EmbeddedAssets/files``.
    init(files: [String: String] = EmbeddedAssets.files) {
        self.files = files
    }

    /// Adds the route.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/static/{name}", use: file)
    }

    /// GET /static/{name}.
    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard let text = files[name] else { throw HTTPError(.notFound) }
        let type =
            if name.hasSuffix(".css") {
                "text/css; charset=utf-8"
            } else if name.hasSuffix(".js") {
                "text/javascript; charset=utf-8"
            } else {
                "text/plain; charset=utf-8"
            }
        return Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "public, max-age=3600", .xContentTypeOptions: "nosniff"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}
