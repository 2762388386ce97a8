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
    /// Failed attempts per client address; while one is over its limit, its requests get 429 unchecked.
    let failedAttempts: RateLimiter?
    /// Requests per directory and second; over it, 429 with `Retry-After` (Okta and Entra back off). Off by default.
    let requestsPerDirectory: RateLimiter?
    /// Requests per directory in flight at once; over it, 429 with `Retry-After`. This is what stops a flood.
    let concurrentPerDirectory: ConcurrencyLimiter?

    /// Compared against when there is no stored hash, so that an unknown directory costs the same as a wrong token.
    private static var placeholderHash: [UInt8] { [UInt8](repeating: 0, count: 32) }

    /// Makes the middleware.
    init(
        store: Store,
        failedAttempts: RateLimiter? = nil,
        requestsPerDirectory: RateLimiter? = nil,
        concurrentPerDirectory: ConcurrencyLimiter? = nil
    ) {
        self.store = store
        self.failedAttempts = failedAttempts
        self.requestsPerDirectory = requestsPerDirectory
        self.concurrentPerDirectory = concurrentPerDirectory
    }

    /// Handles one request.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let path = SCIMRequestPath(path: request.uri.path) else {
            return try await next(request, context)
        }
        let client = (context as? any ClientAddressRequestContext)?.clientAddress ?? "unknown"
        if let failedAttempts, !failedAttempts.allows(client) {
            return BearerAuthenticationMiddleware.tooManyRequests(
                "Too many failed authentication attempts from this address; wait a minute.",
                retryAfter: 60
            )
        }
        let token = AuthorizationHeader.bearerToken(in: request.headers[.authorization])
        let storedHash = path.directoryID.isEmpty ? nil : try await store.tokenHash(directoryID: path.directoryID)
        let matches = BearerToken.matches(token ?? "", storedHash: storedHash ?? BearerAuthenticationMiddleware.placeholderHash)
        guard token != nil, storedHash != nil, matches else {
            _ = failedAttempts?.take(client)
            throw SCIMError(status: 401, detail: "A valid bearer token for this directory is required.")
        }
        if let requestsPerDirectory, let wait = requestsPerDirectory.take(path.directoryID) {
            return BearerAuthenticationMiddleware.tooManyRequests(
                "This directory sends more requests than Roster accepts (\(Int(requestsPerDirectory.ratePerSecond)) a second); retry later.",
                retryAfter: Int(wait.rounded(.up))
            )
        }
        guard let concurrentPerDirectory else { return try await next(request, context) }
        guard concurrentPerDirectory.enter(path.directoryID) else {
            return BearerAuthenticationMiddleware.tooManyRequests(
                "This directory has \(concurrentPerDirectory.limit) requests in progress, the most Roster handles at once; retry shortly.",
                retryAfter: 1
            )
        }
        defer { concurrentPerDirectory.leave(path.directoryID) }
        return try await next(request, context)
    }

    /// A 429 SCIM error with `Retry-After`.
    static func tooManyRequests(_ detail: String, retryAfter: Int) -> Response {
        var response = SCIMResponse.error(SCIMError(status: 429, detail: detail))
        response.headers[.retryAfter] = String(max(1, retryAfter))
        return response
    }
}
