import ArgumentParser

/// The `roster` command: `roster serve` runs the SCIM server, `roster directory …` manages directories, `roster team …`
/// manages teams and their group mappings, `roster events` prints the event outbox, `roster audit` prints the audit
/// trail of admin actions, `roster login-link` prints a one-time sign-in link to the settings pages,
/// `roster export-postgres` copies the store into PostgreSQL.
@main
struct Roster: AsyncParsableCommand {
    /// The command tree.
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "A self-hosted SCIM 2.0 directory-sync server.",
        discussion: """
            Every option that has an environment variable reads it when the flag is not given: SAML_DATABASE_URL, \
            BASE_URL, HOST, PORT, SAML_ADMINS, MAX_BODY_BYTES, WEBHOOK_RETRY_HOURS, RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST, RATE_LIMIT_CONCURRENT_REQUESTS, METRICS_TOKEN, TRUSTED_PROXIES, AUDIT_RETENTION_DAYS, the OIDC_* and SAML_* sign-in settings. roster serve also reads LOG_FORMAT (text or json), LOG_LEVEL and LOG_DEBUG_DIRECTORY (the one directory whose request queries are logged at debug level). Invalid configuration exits with status 2. roster audit prints who did what to directories, teams, webhooks, API keys and sign-ins, oldest first (--json: one object a line; --follow: keep printing).
            """,
        subcommands: [
            Serve.self, LoginLink.self, DirectoryCommands.self, TeamCommands.self, Events.self, Audit.self, Backup.self, ExportPostgres.self,
        ]
    )
}
