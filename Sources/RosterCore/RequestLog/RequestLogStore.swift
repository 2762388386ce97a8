/// The recent SCIM requests of every directory, whichever replica answered them. Writers append in batches (never a
/// commit per request); the store keeps only the newest rows.
public protocol RequestLogStore: Sendable {
    /// Appends `entries` in one transaction, then drops all but the newest `keepNewest` rows of all directories.
    func appendRequestLog(_ entries: [RequestLogEntry], keepNewest: Int) async throws
    /// A directory's requests, newest first, at most `limit`.
    func requestLog(directoryID: String, limit: Int) async throws -> [RequestLogEntry]
}
