import Hummingbird
import RosterCore
import SCIM

/// Requires `Authorization: Bearer <token>` on every path under the SCIM prefix, discovery and unknown paths
/// included, and lets a token reach only the directory it was issued for. A missing or malformed header, a wrong
/// token, an unknown, disabled or deleted directory, and another directory's token all get the same 401, so a
/// client cannot tell which directories exist. Runs before routing and never reads the body.
struct BearerAuthenticationMiddleware<Context: RequestContext, Store: RosterStore>: RouterMiddleware {
    /// Where token hashes are looked up.
    let store: Store

    /// Compared against when there is no stored hash, so that an unknown directory costs the same as a wrong token.
    private static var placeholderHash: [UInt8] { [UInt8](repeating: 0, count: 32) }

    /// Makes the middleware.
    init(store: Store) {
        self.store = store
    }

    /// Handles one request.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let path = SCIMRequestPath(path: request.uri.path) else {
            return try await next(request, context)
        }
        let token = AuthorizationHeader.bearerToken(in: request.headers[.authorization])
        let storedHash = path.directoryID.isEmpty ? nil : try await store.tokenHash(directoryID: path.directoryID)
        let matches = BearerToken.matches(token ?? "", storedHash: storedHash ?? BearerAuthenticationMiddleware.placeholderHash)
        guard token != nil, storedHash != nil, matches else {
            throw SCIMError(status: 401, detail: "A valid bearer token for this directory is required.")
        }
        return try await next(request, context)
    }
}
