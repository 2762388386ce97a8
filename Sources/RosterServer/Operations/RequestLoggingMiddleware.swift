import Hummingbird
import Logging
import RosterCore

/// Logs each request at debug level: method, path, status and duration, but not the query, which can hold emails
/// (`filter=userName eq "…"`), nor headers or bodies. For the one directory named by `LOG_DEBUG_DIRECTORY` the query
/// is logged too, so that an admin chasing one IdP's problem can see its filters without every directory's users
/// landing in the logs. Replaces Hummingbird's LogRequestsMiddleware, which logs the whole URI.
struct RequestLoggingMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The directory whose queries are logged.
    let debugDirectoryID: String?

    /// Passes the request on and logs one debug line when it is answered (or fails).
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.logger.logLevel <= .debug else { return try await next(request, context) }
        let started = ContinuousClock.now
        var metadata: Logger.Metadata = ["hb.request.method": "\(request.method)", "hb.request.path": "\(request.uri.path)"]
        if let debugDirectoryID, let query = request.uri.query, Self.isSCIMPath(request.uri.path, of: debugDirectoryID) {
            metadata["hb.request.query"] = "\(query)"
        }
        do {
            let response = try await next(request, context)
            metadata["hb.response.status"] = "\(response.status.code)"
            let elapsed = ContinuousClock.now - started
            metadata["hb.request.duration_ms"] = "\((elapsed.fractionalMilliseconds * 10).rounded() / 10)"
            context.logger.debug("Request", metadata: metadata)
            return response
        } catch {
            metadata["hb.response.error"] = "\(type(of: error))"
            context.logger.debug("Request failed", metadata: metadata)
            throw error
        }
    }

    /// Whether `path` is under the SCIM Base URL path of the directory `directoryID`.
    static func isSCIMPath(_ path: String, of directoryID: String) -> Bool {
        let base = SCIMPaths.prefix + "/" + directoryID
        return path == base || path.hasPrefix(base + "/")
    }
}
