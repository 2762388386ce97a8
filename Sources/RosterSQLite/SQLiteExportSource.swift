import Foundation
import GRDB
import RosterCore

/// Reads the tables of ``ExportCatalog`` from one consistent snapshot of a SQLite file, in batches, so that an
/// export is safe while `roster serve` keeps writing: every batch sees the database as it was when the source was
/// opened.
public final class SQLiteExportSource: ExportSource {
    private let snapshot: DatabaseSnapshot

    /// Opens a snapshot of the store's file; fails for an in-memory store.
    public init(store: SQLiteStore) throws {
        guard let pool = store.writer as? DatabasePool else { throw StoreCorruption(detail: "only a SQLite file can be exported") }
        snapshot = try pool.makeSnapshot()
    }

    /// How many rows `table` holds in the snapshot.
    public func exportCount(_ table: ExportTable) async throws -> Int {
        try await snapshot.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0 }
    }

    /// Streams the table in batches, each read by its key from where the last one stopped.
    public func exportBatches(_ table: ExportTable, batchSize: Int, _ body: ([[ExportValue]]) async throws -> Void) async throws {
        var position: ExportPosition?
        repeat {
            let (rows, next) = try await batch(table, after: position, limit: batchSize)
            if !rows.isEmpty { try await body(rows) }
            position = next
        } while position != nil
    }

    /// Rows of `table` after the position `after` (nil: from the start), at most `limit`, with the position to
    /// continue from. Rows come in the table's storage order (rowid, or the primary key of a WITHOUT ROWID table).
    public func batch(_ table: ExportTable, after: ExportPosition?, limit: Int) async throws -> (rows: [[ExportValue]], next: ExportPosition?) {
        try await snapshot.read { db in
            let key = try SQLiteExportSource.keyColumns(db, table: table.name)
            let columns = (table.columns.map(\.name) + key.map { "\($0) AS \"__key_\($0)\"" }).joined(separator: ", ")
            var sql = "SELECT \(columns) FROM \(table.name)"
            var arguments: StatementArguments = []
            if let after {
                sql += " WHERE (\(key.joined(separator: ", "))) > (\(Array(repeating: "?", count: key.count).joined(separator: ", ")))"
                arguments = StatementArguments(after.values.map(SQLiteExportSource.databaseValue))
            }
            sql += " ORDER BY \(key.joined(separator: ", ")) LIMIT ?"
            arguments += [limit]
            var rows: [[ExportValue]] = []
            var last: ExportPosition?
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                rows.append(table.columns.indices.map { SQLiteExportSource.exportValue(row[$0]) })
                last = ExportPosition(values: key.indices.map { SQLiteExportSource.exportValue(row[table.columns.count + $0]) })
            }
            return (rows, rows.count == limit ? last : nil)
        }
    }

    /// The columns that order a table: `rowid`, or the primary key of a WITHOUT ROWID table.
    private static func keyColumns(_ db: Database, table: String) throws -> [String] {
        let withoutRowID =
            try Bool.fetchOne(db, sql: "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])
            ?? false
        guard withoutRowID else { return ["rowid"] }
        return try db.primaryKey(table).columns
    }

    private static func exportValue(_ value: DatabaseValue) -> ExportValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .integer(Int64(number))
        case .string(let text): .text(text)
        case .blob(let data): .blob(Array(data))
        }
    }

    private static func databaseValue(_ value: ExportValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        }
    }
}

/// Where a batched read stopped: the ordering key of the last row read.
public struct ExportPosition: Sendable, Hashable {
    /// The key's values.
    public var values: [ExportValue]
}
