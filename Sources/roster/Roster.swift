import ArgumentParser

/// The `roster` command: `roster serve` runs the SCIM server, `roster directory …` manages directories, `roster team …`
/// manages teams and their group mappings, `roster events` prints the event outbox, `roster audit` prints the audit
/// trail of admin actions, `roster login-link` prints a one-time sign-in link to the settings pages,
/// `roster export-postgres` copies the store into PostgreSQL. The hidden `roster settings-table` prints README.md's
/// table of settings.
@main
struct Roster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "A self-hosted SCIM 2.0 directory-sync server.",
        discussion: """
            \(Setting.helpDiscussion) Invalid configuration exits with status 2. roster audit prints who did what to \
            directories, teams, webhooks, API keys and sign-ins, oldest first (--json: one object a line; --follow: keep \
            printing).
            """,
        subcommands: [
            Serve.self, LoginLink.self, DirectoryCommands.self, TeamCommands.self, Events.self, Audit.self, Backup.self, ExportPostgres.self,
            SettingsTable.self,
        ]
    )
}
