import ArgumentParser
import RosterCore

/// The options every command shares: where the data is.
struct GlobalOptions: ParsableArguments {
    /// `--database-url`, else `SAML_DATABASE_URL`.
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "The SQLite file: sqlite:PATH, file:PATH or a plain path (env SAML_DATABASE_URL; default \(DatabaseLocation.defaultSQLitePath)).",
            valueName: "url"
        )
    )
    var databaseURL: String?

    /// The database location from the flag or the environment; an unusable URL fails with exit code 2.
    func databaseLocation(environment: [String: String]) throws(CommandFailure) -> DatabaseLocation {
        do {
            return try DatabaseLocation(parsing: Setting.databaseURL.value(flag: databaseURL, environment: environment))
        } catch {
            throw .configuration(error.description)
        }
    }

    /// Opens the database, creating its file and directory when missing; fails with exit code 2.
    func openDatabase(environment: [String: String]) throws(CommandFailure) -> DatabaseFile {
        try DatabaseFile.open(databaseLocation(environment: environment))
    }
}
