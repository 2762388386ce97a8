import Hummingbird
import RosterCore
import SCIM

/// Records every request under a directory's SCIM path in the ``RequestLog``: method, path and query, status,
/// duration and, for errors, the SCIM detail. It sits inside ``SCIMErrorMiddleware`` and outside authentication,
/// so that a rejected token is logged too. It never records headers or bodies, so tokens and passwords never reach
/// the log; query parameters whose names suggest a secret are redacted.
struct SCIMRequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Where requests are recorded.
    let log: RequestLog
    /// The body limit, for the detail of a 413.
    let maxBodyBytes: Int
    /// Where request counts and latencies go.
    let metrics: RosterMetrics?

    /// Handles one request.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let scimPath = SCIMRequestPath(path: request.uri.path), !scimPath.directoryID.isEmpty else {
            return try await next(request, context)
        }
        let arrived = WallClock.millisecondsSince1970()
        let started = ContinuousClock.now
        func record(status: Int, detail: String?) {
            let elapsed = ContinuousClock.now - started
            let unauthenticated = status == 401 || (status == 429 && detail?.hasPrefix("Too many failed authentication") == true)
            metrics?.recordSCIMRequest(
                directory: unauthenticated ? "unauthenticated" : scimPath.directoryID,
                operation: RosterMetrics.scimOperation(method: request.method.rawValue, path: request.uri.path),
                status: status,
                duration: elapsed
            )
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            log.record(
                RequestLog.Entry(
                    at: arrived,
                    directoryID: scimPath.directoryID,
                    method: request.method.rawValue,
                    path: SCIMRequestLogMiddleware.redactedPath(request.uri.path, query: request.uri.query),
                    status: status,
                    durationMilliseconds: milliseconds,
                    detail: detail
                )
            )
        }
        do {
            let response = try await next(request, context)
            record(status: response.status.code, detail: nil)
            return response
        } catch {
            let scimError = SCIMErrorMiddleware<Context>.scimError(for: error, request: request, maxBodyBytes: maxBodyBytes)
            record(status: scimError.status, detail: scimError.detail)
            throw error
        }
    }

    /// The path with its query, values of parameters named like a secret replaced by `[redacted]`.
    static func redactedPath(_ path: String, query: String?) -> String {
        guard let query, !query.isEmpty else { return path }
        let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
            let name = part.split(separator: "=", maxSplits: 1).first.map { QueryString.decode(Array($0.utf8)).lowercased() } ?? ""
            let secret = ["token", "password", "secret", "key", "authorization"].contains { name.contains($0) }
            return secret ? "\(part.split(separator: "=", maxSplits: 1).first ?? "")=[redacted]" : String(part)
        }
        return path + "?" + parts.joined(separator: "&")
    }
}
