import Hummingbird
import RosterCore
import SCIM

/// Who may make a SCIM request: `Authorization: Bearer <token>` of the directory named in the path, on every path
/// under the prefix (discovery and unknown paths included), within the limits. A missing or malformed header, a
/// wrong token, an unknown, disabled or deleted directory, and another directory's token all get the same 401, so a
/// client cannot tell which directories exist. Never reads the body.
struct SCIMAdmission<Store: RosterStore>: Sendable {
    /// Where token hashes are looked up.
    let store: Store
    /// Failed attempts per client address; while one is over its limit, its requests get 429 unchecked.
    let failedAttempts: RateLimiter?
    /// Requests per directory and second; over it, 429 with `Retry-After` (Okta and Entra back off). Off by default.
    let requestsPerDirectory: RateLimiter?
    /// Requests per directory in flight at once; over it, 429 with `Retry-After`. This is what stops a flood.
    let concurrentPerDirectory: ConcurrencyLimiter?

    /// What the check decided.
    enum Decision {
        /// Not admitted: this 429 answers the request. `authenticated` says whether the token was checked and good.
        case refused(SCIMError, retryAfter: Int, authenticated: Bool)
        /// Admitted: run the request, then call `release`.
        case admitted(release: @Sendable () -> Void)
    }

    /// Compared against when there is no stored hash, so that an unknown directory costs the same as a wrong token.
    private static var placeholderHash: [UInt8] { [UInt8](repeating: 0, count: 32) }

    /// Checks the token for the directory `directoryID` (empty when the path names none) and the limits; throws the
    /// 401 for a bad token.
    func admit(_ request: Request, directoryID: String, client: String) async throws -> Decision {
        if let failedAttempts, !failedAttempts.allows(client) {
            return .refused(
                SCIMError(status: 429, detail: "Too many failed authentication attempts from this address; wait a minute."),
                retryAfter: 60,
                authenticated: false
            )
        }
        let token = AuthorizationHeader.bearerToken(in: request.headers[.authorization])
        let storedHash = directoryID.isEmpty ? nil : try await store.tokenHash(directoryID: directoryID)
        let matches = BearerToken.matches(token ?? "", storedHash: storedHash ?? Self.placeholderHash)
        guard token != nil, storedHash != nil, matches else {
            _ = failedAttempts?.take(client)
            throw SCIMError(status: 401, detail: "A valid bearer token for this directory is required.")
        }
        if let requestsPerDirectory, let wait = requestsPerDirectory.take(directoryID) {
            return .refused(
                SCIMError(
                    status: 429,
                    detail:
                        "This directory sends more requests than Roster accepts (\(Int(requestsPerDirectory.ratePerSecond)) a second); retry later."
                ),
                retryAfter: Int(wait.rounded(.up)),
                authenticated: true
            )
        }
        guard let concurrentPerDirectory else { return .admitted(release: {}) }
        guard concurrentPerDirectory.enter(directoryID) else {
            return .refused(
                SCIMError(
                    status: 429,
                    detail: "This directory has \(concurrentPerDirectory.limit) requests in progress, the most Roster handles at once; retry shortly."
                ),
                retryAfter: 1,
                authenticated: true
            )
        }
        return .admitted(release: { concurrentPerDirectory.leave(directoryID) })
    }
}
