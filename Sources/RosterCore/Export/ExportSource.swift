/// Where `roster export-postgres` reads rows from: a consistent snapshot of the SQLite store.
public protocol ExportSource: Sendable {
    /// Rows the table holds.
    func exportCount(_ table: ExportTable) async throws -> Int
    /// Streams the table's rows in batches of at most `batchSize`.
    func exportBatches(_ table: ExportTable, batchSize: Int, _ body: ([[ExportValue]]) async throws -> Void) async throws
}
