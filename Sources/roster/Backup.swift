import ArgumentParser
import Foundation
import RosterCore

extension Roster {
    /// `roster backup --to FILE`: a consistent copy of the SQLite file, taken while Roster serves. PostgreSQL is
    /// refused: its own tools (`pg_dump`) back it up.
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of the database to a new file, while roster serve keeps running.",
            discussion: """
                Uses SQLite's online backup API. To restore, stop Roster and put the copy in place of the database \
                file (removing any -wal and -shm files beside it), or point SAML_DATABASE_URL at the copy. For a \
                PostgreSQL database use pg_dump instead.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("to"), help: ArgumentHelp("The new file to write (it must not exist).", valueName: "file"))
        var destination: String

        func run() async throws {
            try await CommandFailure.reporting {
                let location = try global.databaseLocation(environment: ProcessInfo.processInfo.environment)
                guard let sqlitePath = location.sqlitePath else {
                    throw CommandFailure.configuration(
                        "backup copies a SQLite file, but SAML_DATABASE_URL (or --database-url) names a PostgreSQL database: back it up with pg_dump"
                    )
                }
                let path = URL(fileURLWithPath: destination).standardizedFileURL.path
                guard !FileManager.default.fileExists(atPath: path) else {
                    throw CommandFailure.configuration("\(path) already exists: name a new file")
                }
                let database = try DatabaseFile.open(sqlitePath: sqlitePath)
                let started = ContinuousClock.now
                do {
                    try await database.store.backup(to: path)
                } catch {
                    try? FileManager.default.removeItem(atPath: path)
                    throw CommandFailure.failed("cannot write the backup to \(path): \(String(describing: error).replacingNewlines())")
                }
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                let elapsed = ContinuousClock.now - started
                let seconds = elapsed.fractionalSeconds
                Console.out("Backed up \(database.path) to \(path) (\(size) bytes) in \(String(format: "%.1f", seconds)) s.")
            }
        }
    }
}
