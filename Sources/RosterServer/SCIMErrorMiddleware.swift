import Hummingbird
import Logging
import RosterCore
import SCIM

/// Makes every answer under the SCIM prefix a SCIM answer: thrown ``SCIMError``s become Error messages, a path
/// that no route matches becomes a 404 Error, a body over the limit a 413, Hummingbird's own errors keep their
/// status, a store that cannot be reached (``StoreUnavailable``) a 503 with `Retry-After` (identity providers
/// retry it; nothing was changed), and anything unexpected becomes a 500 with a generic detail (the real error is
/// logged). Every response gets `Content-Type: application/scim+json`. Requests outside the prefix pass through
/// untouched.
struct SCIMErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The body limit, quoted in 413 details.
    let maxBodyBytes: Int

    /// Handles one request.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard SCIMRequestPath(path: request.uri.path) != nil else {
            return try await next(request, context)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let scimError = SCIMErrorMiddleware.scimError(for: error, request: request, maxBodyBytes: maxBodyBytes)
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
            response = SCIMResponse.error(scimError)
            if let unavailable = error as? StoreUnavailable {
                response.headers[.retryAfter] = String(max(1, unavailable.retryAfterSeconds))
            }
        }
        response.headers[.contentType] = SCIMResponse.mediaType
        return response
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
}
