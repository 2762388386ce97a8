/// Whether the store can serve: its schema is current and it accepts a write transaction (for `/readyz`).
public protocol StoreReadiness: Sendable {
    /// Nil when ready; otherwise why not, in words.
    func readinessProblem() async -> String?
    /// Flushes what the store buffers (the SQLite WAL) into the main file; called on graceful shutdown.
    func checkpoint() async throws
    /// Writes a consistent copy of the whole store to `path`, while it keeps serving.
    func backup(to path: String) async throws
}
