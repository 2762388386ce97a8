import Logging
import NIOCore
import PostgresNIO
import RosterCore

/// Where an export stands, for progress output.
public struct ExportProgress: Sendable {
    /// The table being copied.
    public var table: String
    /// Rows copied so far.
    public var rowsCopied: Int
    /// Rows the table holds.
    public var totalRows: Int
    /// Seconds since the table started.
    public var elapsedSeconds: Double
    /// Whether the table is done.
    public var finished: Bool
}

/// What an export did, table by table.
public struct ExportSummary: Sendable {
    /// One table's outcome.
    public struct Table: Sendable {
        /// The table.
        public var name: String
        /// Rows copied (and read back).
        public var rows: Int
        /// The checksum both sides agree on.
        public var checksum: String
    }

    /// The tables, in copy order.
    public var tables: [Table]
    /// Seconds the whole export took.
    public var elapsedSeconds: Double
}

/// Copies everything ``ExportCatalog`` lists into PostgreSQL in one transaction: refuses a target that holds
/// Roster's tables unless `replace`, creates the schema with ``PostgresMigrations``, streams each table with
/// `COPY … FROM STDIN`, moves identity sequences past the copied rows, reads every table back and compares row
/// counts and checksums, and commits only when they all match (any failure rolls everything back).
public struct PostgresExporter: Sendable {
    /// Where to.
    public let target: PostgresTarget
    /// Rows per batch.
    public let batchSize: Int
    /// Where postgres-nio logs.
    public let logger: Logger

    /// Makes an exporter.
    public init(target: PostgresTarget, batchSize: Int = 5_000, logger: Logger = Logger(label: "roster.export")) {
        self.target = target
        self.batchSize = max(1, batchSize)
        self.logger = logger
    }

    /// Runs the export, reporting progress as it goes.
    public func export(
        from source: some ExportSource,
        replace: Bool,
        progress: @Sendable (ExportProgress) -> Void
    ) async throws(PostgresExportError) -> ExportSummary {
        let started = ContinuousClock.now
        do {
            let connection = try await PostgresConnection.connect(configuration: target.configuration(), id: 1, logger: logger)
            do {
                let expected = try await copy(from: source, into: connection, replace: replace, progress: progress)
                let tables = try await verify(connection, expected: expected)
                try await connection.query("COMMIT", logger: logger)
                try await connection.close()
                return ExportSummary(tables: tables, elapsedSeconds: Self.seconds(since: started))
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                try? await connection.close()
                throw error
            }
        } catch {
            throw PostgresExportError.describing(error, target: target)
        }
    }

    /// Opens the transaction and copies every table; returns the source's checksums.
    private func copy(
        from source: some ExportSource,
        into connection: PostgresConnection,
        replace: Bool,
        progress: @Sendable (ExportProgress) -> Void
    ) async throws -> [String: TableChecksum] {
        try await connection.query("BEGIN", logger: logger)
        let existing = try await existingTables(connection)
        if !existing.isEmpty {
            guard replace else { throw PostgresExportError.targetHasData(target.database) }
            for table in PostgresMigrations.tablesChildrenFirst where existing.contains(table) {
                try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table) CASCADE"), logger: logger)
            }
        }
        try await connection.query(
            "CREATE TABLE roster_migration (identifier TEXT PRIMARY KEY NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            logger: logger
        )
        for migration in PostgresMigrations.all {
            for statement in migration.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query("INSERT INTO roster_migration (identifier) VALUES (\(migration.identifier))", logger: logger)
        }
        // The rows are counted once after the copy instead of by a trigger per copied row.
        for table in PostgresMigrations.countedTables {
            try await connection.query(PostgresQuery(unsafeSQL: "ALTER TABLE \(table) DISABLE TRIGGER USER"), logger: logger)
        }
        var checksums: [String: TableChecksum] = [:]
        for table in ExportCatalog.tables {
            let total = try await source.exportCount(table)
            let tableStarted = ContinuousClock.now
            var checksum = TableChecksum()
            progress(ExportProgress(table: table.name, rowsCopied: 0, totalRows: total, elapsedSeconds: 0, finished: false))
            try await connection.copyFrom(table: table.name, columns: table.columns.map(\.name), logger: logger) { writer in
                try await source.exportBatches(table, batchSize: batchSize) { rows in
                    var buffer = ByteBuffer()
                    for row in rows {
                        checksum.add(row)
                        CopyText.append(row, columns: table.columns, to: &buffer)
                    }
                    try await writer.write(buffer)
                    progress(
                        ExportProgress(
                            table: table.name,
                            rowsCopied: checksum.rows,
                            totalRows: max(total, checksum.rows),
                            elapsedSeconds: Self.seconds(since: tableStarted),
                            finished: false
                        )
                    )
                }
            }
            if let identity = table.identityColumn {
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT setval(pg_get_serial_sequence('\(table.name)', '\(identity)'), GREATEST((SELECT MAX(\(identity)) FROM \(table.name)), 1), (SELECT COUNT(*) > 0 FROM \(table.name)))
                            """
                    ),
                    logger: logger
                )
            }
            checksums[table.name] = checksum
            progress(
                ExportProgress(
                    table: table.name,
                    rowsCopied: checksum.rows,
                    totalRows: checksum.rows,
                    elapsedSeconds: Self.seconds(since: tableStarted),
                    finished: true
                )
            )
        }
        for statement in PostgresMigrations.countsFromRows {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        for table in PostgresMigrations.countedTables {
            try await connection.query(PostgresQuery(unsafeSQL: "ALTER TABLE \(table) ENABLE TRIGGER USER"), logger: logger)
        }
        return checksums
    }

    /// Reads every table back and compares counts and checksums.
    private func verify(_ connection: PostgresConnection, expected: [String: TableChecksum]) async throws -> [ExportSummary.Table] {
        var tables: [ExportSummary.Table] = []
        for table in ExportCatalog.tables {
            var checksum = TableChecksum()
            let columns = table.columns.map(\.name).joined(separator: ", ")
            let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(columns) FROM \(table.name)"), logger: logger)
            for try await row in rows {
                let cells = row.makeRandomAccess()
                checksum.add(try table.columns.indices.map { try CopyText.value(of: cells[$0], kind: table.columns[$0].kind) })
            }
            let source = expected[table.name] ?? TableChecksum()
            guard checksum.rows == source.rows else {
                throw PostgresExportError.verification("\(table.name) has \(checksum.rows) rows in PostgreSQL, \(source.rows) in SQLite")
            }
            guard checksum == source else {
                throw PostgresExportError.verification(
                    "the rows of \(table.name) in PostgreSQL differ from SQLite's (checksum \(checksum) vs \(source))"
                )
            }
            tables.append(ExportSummary.Table(name: table.name, rows: checksum.rows, checksum: checksum.description))
        }
        return tables
    }

    /// Which of Roster's tables the target already has.
    private func existingTables(_ connection: PostgresConnection) async throws -> Set<String> {
        var names = Set<String>()
        let rows = try await connection.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
            logger: logger
        )
        for try await (name) in rows.decode(String.self) where PostgresMigrations.tablesChildrenFirst.contains(name) {
            names.insert(name)
        }
        return names
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return elapsed.fractionalSeconds
    }
}
