import Hummingbird
import RosterCore

/// Gives the read API's errors its JSON form: Hummingbird's errors keep their status and message, a team reference
/// that names several teams is a 400 that says so, a store that cannot be reached (``StoreUnavailable``) a 503 with
/// `Retry-After`, anything unexpected is a 500 whose cause is logged, never shown.
struct APIErrorMiddleware: ErrorAnsweringMiddleware {
    /// The JSON error answer to an error thrown by the read API.
    func answer(_ error: any Error, to request: Request, context: AppRequestContext) -> Response {
        switch error {
        case let error as HTTPError:
            return APIResponse.error(status: error.status, error.body ?? error.status.reasonPhrase)
        case let error as TeamError:
            return APIResponse.error(status: .badRequest, error.description.prefix(1).uppercased() + error.description.dropFirst() + ".")
        case let error as StoreUnavailable:
            context.logger.warning("Read API request not served: \(error.reason)", metadata: ["path": "\(request.uri.path)"])
            return APIResponse.unavailable(error)
        default:
            context.logger.error("Read API request failed: \(String(reflecting: error))", metadata: ["path": "\(request.uri.path)"])
            return APIResponse.error(status: .internalServerError, "The server could not complete the request.")
        }
    }
}
