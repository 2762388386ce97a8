/// The database cannot be reached (a PostgreSQL outage, a pool that cannot connect). Nothing was changed, or the
/// transaction was rolled back: the HTTP layer answers 503 with `Retry-After` and the client tries again.
public struct StoreUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why, in words for a log and `/readyz`.
    public var reason: String
    /// Seconds a client should wait before trying again.
    public var retryAfterSeconds: Int

    /// Makes one.
    public init(reason: String, retryAfterSeconds: Int = 2) {
        self.reason = reason
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The reason.
    public var description: String { reason }
}
