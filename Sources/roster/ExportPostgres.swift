import ArgumentParser
import Foundation
import Logging
import RosterCore
import RosterPostgres
import RosterSQLite

extension Roster {
    /// `roster export-postgres --to URL`: copies the SQLite store into PostgreSQL and verifies the copy.
    struct ExportPostgres: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-postgres",
            abstract: "Copy everything Roster stores from its SQLite file into PostgreSQL, then verify the copy.",
            discussion: """
                Copies directories, users, groups, memberships, teams, mappings, events, webhook endpoints with their \
                deliveries, and API keys (not sign-in sessions) in one transaction, from a consistent snapshot of the SQLite \
                file: safe while roster serve runs. sslmode is disable, prefer (the default), require, verify-ca, \
                verify-full or no-verify (TLS without certificate checks, for self-signed servers); sslrootcert=PATH names \
                trust roots for verify-ca and verify-full. Refuses a database that already holds Roster's tables unless \
                --replace. Progress goes to standard error, the summary to standard output.
                """
        )

        /// The SQLite file to copy (a PostgreSQL URL is refused).
        @OptionGroup var global: GlobalOptions

        @Option(
            name: .customLong("to"),
            help: ArgumentHelp("The PostgreSQL URL: postgresql://USER:PASSWORD@HOST:5432/DATABASE[?sslmode=…].", valueName: "url")
        )
        var target: String

        @Flag(help: "Drop and recreate Roster's tables when the target already has them.")
        var replace = false

        @Option(help: ArgumentHelp("Rows per batch (default 5000).", valueName: "rows"))
        var batchSize = 5_000

        func run() async throws {
            try await CommandFailure.reporting {
                let environment = ProcessInfo.processInfo.environment
                let target: PostgresTarget
                do {
                    target = try PostgresTarget(url: self.target)
                } catch let error as PostgresExportError {
                    throw CommandFailure.configuration(error.description)
                }
                guard batchSize > 0 else { throw CommandFailure.configuration("--batch-size must be a positive number of rows") }
                guard let sqlitePath = try global.databaseLocation(environment: environment).sqlitePath else {
                    throw CommandFailure.configuration(
                        "export-postgres copies a SQLite file into PostgreSQL, but SAML_DATABASE_URL (or --database-url) names a "
                            + "PostgreSQL database: point it at the SQLite file to copy (sqlite:PATH)"
                    )
                }
                let database = try DatabaseFile.open(sqlitePath: sqlitePath)
                let source: SQLiteExportSource
                do {
                    source = try SQLiteExportSource(store: database.store)
                } catch {
                    throw CommandFailure.failed("cannot read \(database.path): \(String(describing: error).replacingNewlines())")
                }
                var logger = Logger(label: "roster.export")
                logger.logLevel = .critical
                let printer = ExportProgressPrinter(interactive: isatty(STDERR_FILENO) == 1)
                Console.error("Exporting \(database.path) to \(target)")
                let summary: ExportSummary
                do {
                    summary = try await PostgresExporter(target: target, batchSize: batchSize, logger: logger)
                        .export(from: source, replace: replace) { printer.show($0) }
                } catch let error as PostgresExportError {
                    throw CommandFailure.failed(error.description)
                }
                let rows = summary.tables.reduce(0) { $0 + $1.rows }
                var lines = [
                    "Exported and verified \(rows) rows in \(summary.tables.count) tables in \(String(format: "%.1f", summary.elapsedSeconds)) s:"
                ]
                let width = summary.tables.map(\.name.count).max() ?? 0
                for table in summary.tables {
                    lines.append(
                        "  \(table.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(table.rows).leftPadded(to: 9)) rows  checksum \(table.checksum.prefix(16))"
                    )
                }
                lines.append("Next, point Roster at PostgreSQL with:")
                lines.append("  SAML_DATABASE_URL=\(self.target.redactingPassword())")
                Console.out(lines.joined(separator: "\n"))
            }
        }
    }
}

extension String {
    /// The string with spaces in front up to `length`.
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }

    /// A URL with the password between `:` and `@` replaced by `****`.
    fileprivate func redactingPassword() -> String {
        guard let scheme = range(of: "://"), let at = self[scheme.upperBound...].lastIndex(of: "@"),
            let colon = self[scheme.upperBound..<at].firstIndex(of: ":")
        else { return self }
        return String(self[..<index(after: colon)]) + "****" + String(self[at...])
    }
}
