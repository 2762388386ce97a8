import Hummingbird
import Logging
import RosterCore

/// Answers a ``StoreUnavailable`` that no inner middleware turned into a response (the SCIM and read API middlewares
/// do, in their own forms) with a 503 and `Retry-After`: a page for the settings and sign-in paths, the read API's
/// JSON error elsewhere (`/metrics`, …). The reason names the database server, so it is logged, never shown. Other
/// errors pass on untouched.
struct StoreOutageMiddleware: ErrorAnsweringMiddleware {
    /// Renders the settings pages' 503.
    let pages: PageRenderer

    /// A ``StoreUnavailable`` logged and answered with a 503 in the path's form; any other error thrown on.
    func answer(_ error: any Error, to request: Request, context: AppRequestContext) throws -> Response {
        guard let error = error as? StoreUnavailable else { throw error }
        context.logger.warning("Request not served: \(error.reason)", metadata: ["path": "\(request.uri.path)"])
        let path = request.uri.path
        if path.hasPrefix("/settings") || path.hasPrefix("/auth/") {
            return pages.storeUnavailable(error)
        }
        return APIResponse.unavailable(error)
    }
}
