import Hummingbird
import Logging
import RosterCore
import SCIM

/// The middleware of the SCIM routes' group (``SCIMRequestContext``), which every request under the SCIM prefix goes
/// through (unknown paths match the group's catch-all routes). It reads the request once: the directory from the
/// route's `{directoryId}` parameter and the operation from the route that matched (``SCIMOperationTable``), kept in
/// the context for the handlers, the request log and the metrics. Then:
/// 1. admission (``SCIMAdmission``): the directory's bearer token and the limits;
/// 2. the answer in SCIM form: thrown ``SCIMError``s become Error messages, a body over the limit a 413,
///    Hummingbird's own errors keep their status, a store that cannot be reached (``StoreUnavailable``) a 503 with
///    `Retry-After` (identity providers retry it; nothing was changed), anything unexpected a 500 with a generic
///    detail (the real error is logged); every response gets `Content-Type: application/scim+json`;
/// 3. the record: the request log (method, path and query with secret values redacted, status, duration, the SCIM
///    detail of an error; never headers or bodies) and the metrics, labelled by directory only once the token was
///    good, so an unauthenticated request never creates a label from its path.
struct SCIMRequestMiddleware<Store: RosterStore>: RouterMiddleware {
    /// Who may make requests.
    let admission: SCIMAdmission<Store>
    /// The operation of each route.
    let operations: SCIMOperationTable
    /// Where requests are recorded, if anywhere.
    let requestLog: RequestLog?
    /// Where request counts and latencies go.
    let metrics: RosterMetrics?
    /// The body limit, quoted in 413 details.
    let maxBodyBytes: Int

    /// Admits, answers and records one request under the SCIM prefix.
    func handle(
        _ request: Request,
        context: SCIMRequestContext,
        next: (Request, SCIMRequestContext) async throws -> Response
    ) async throws -> Response {
        let arrived = WallClock.millisecondsSince1970()
        let started = ContinuousClock.now
        var context = context
        context.directoryID = context.parameters.get("directoryId").map { QueryString.decodePathSegment($0) } ?? ""
        context.operation = operations.operation(endpointPath: context.endpointPath, method: request.method)
        var authenticated = false
        var response: Response
        var detail: String?
        do {
            switch try await admission.admit(request, directoryID: context.directoryID, client: context.clientAddress) {
            case .refused(let error, let retryAfter, let tokenWasGood):
                authenticated = tokenWasGood
                detail = error.detail
                response = SCIMResponse.error(error)
                response.headers[.retryAfter] = String(max(1, retryAfter))
            case .admitted(let release):
                authenticated = true
                defer { release() }
                response = try await next(request, context)
            }
        } catch {
            let scimError = Self.scimError(for: error, request: request, maxBodyBytes: maxBodyBytes)
            if let unavailable = error as? StoreUnavailable {
                context.logger.warning(
                    "SCIM request not served: \(unavailable.reason)",
                    metadata: ["method": "\(request.method)", "path": "\(request.uri.path)"]
                )
            } else if scimError.status >= 500 {
                context.logger.error(
                    "SCIM request failed: \(String(reflecting: error))",
                    metadata: ["method": "\(request.method)", "path": "\(request.uri.path)"]
                )
            }
            detail = scimError.detail
            response = SCIMResponse.error(scimError)
            if let unavailable = error as? StoreUnavailable {
                response.headers[.retryAfter] = String(max(1, unavailable.retryAfterSeconds))
            }
        }
        response.headers[.contentType] = SCIMResponse.mediaType
        record(
            request,
            context: context,
            status: response.status.code,
            detail: detail,
            authenticated: authenticated,
            arrived: arrived,
            started: started
        )
        return response
    }

    /// Records the request in the log (when the path names a directory) and the metrics.
    private func record(
        _ request: Request,
        context: SCIMRequestContext,
        status: Int,
        detail: String?,
        authenticated: Bool,
        arrived: Int64,
        started: ContinuousClock.Instant
    ) {
        let elapsed = ContinuousClock.now - started
        metrics?.recordSCIMRequest(
            directory: authenticated ? context.directoryID : "unauthenticated",
            operation: context.operation.description,
            status: status,
            duration: elapsed
        )
        guard let requestLog, !context.directoryID.isEmpty else { return }
        requestLog.record(
            RequestLog.Entry(
                at: arrived,
                directoryID: context.directoryID,
                method: request.method.rawValue,
                path: Self.redactedPath(request.uri.path, query: request.uri.query),
                status: status,
                durationMilliseconds: elapsed.fractionalMilliseconds,
                detail: detail
            )
        )
    }

    /// The SCIM error that answers a thrown error: a ``SCIMError`` as it is, ``StoreUnavailable`` a 503 (its reason,
    /// which names the database server, is logged, not shown), one of Hummingbird's errors with its status, anything
    /// else a 500 with a generic detail.
    static func scimError(for error: any Error, request: Request, maxBodyBytes: Int) -> SCIMError {
        switch error {
        case let error as SCIMError:
            return error
        case let error as StoreUnavailable:
            return SCIMError(
                status: 503,
                detail:
                    "The directory store is unavailable for a moment; nothing was changed. Retry after \(max(1, error.retryAfterSeconds)) seconds."
            )
        case let error as any HTTPResponseError:
            switch error.status {
            case .notFound:
                return .notFound("No SCIM endpoint at \(request.method) \(request.uri.path).")
            case .contentTooLarge:
                return SCIMError(status: 413, detail: "The request body is larger than the limit of \(maxBodyBytes) bytes.")
            case let status where status.code >= 500:
                return SCIMError(status: status.code, detail: "The server could not complete the request.")
            case let status:
                let message = (error as? HTTPError)?.body ?? status.reasonPhrase
                return SCIMError(status: status.code, detail: message.isEmpty ? "The request was not accepted." : message)
            }
        default:
            return SCIMError(status: 500, detail: "The server could not complete the request.")
        }
    }

    /// What a query parameter's name contains when its value is a secret.
    private static var secretNames: [String] { ["token", "password", "secret", "key", "authorization"] }

    /// The path with its query, values of parameters named like a secret replaced by `[redacted]`.
    static func redactedPath(_ path: String, query: String?) -> String {
        guard let query, !query.isEmpty else { return path }
        // Nearly every query (a filter, a page) names no secret anywhere: kept as it is without taking it apart.
        let lowered = query.lowercased()
        if !lowered.contains("%"), !secretNames.contains(where: { lowered.contains($0) }) { return path + "?" + query }
        let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
            let name = part.split(separator: "=", maxSplits: 1).first.map { QueryString.decode(Array($0.utf8)).lowercased() } ?? ""
            let secret = secretNames.contains { name.contains($0) }
            return secret ? "\(part.split(separator: "=", maxSplits: 1).first ?? "")=[redacted]" : String(part)
        }
        return path + "?" + parts.joined(separator: "&")
    }
}
