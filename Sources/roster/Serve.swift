import ArgumentParser
import Foundation
import Logging
import RosterCore
import RosterServer

extension Roster {
    /// `roster serve`: reads the configuration, opens the database and runs the HTTP server until SIGTERM or SIGINT.
    struct Serve: AsyncParsableCommand {
        /// The command's help.
        static let configuration = CommandConfiguration(abstract: "Run the SCIM server.")

        /// The database.
        @OptionGroup var global: GlobalOptions
        /// Where to listen, and the public URL.
        @OptionGroup var address: ServerAddressOptions
        /// Who may sign in to the settings pages.
        @OptionGroup var adminOptions: AdminOptions
        /// Sign-in with the identity provider.
        @OptionGroup var oidcOptions: OIDCOptions
        /// SAML sign-in.
        @OptionGroup var samlOptions: SAMLOptions

        /// `--max-body-bytes`, else `MAX_BODY_BYTES`.
        @Option(
            name: .customLong("max-body-bytes"),
            help: ArgumentHelp(
                "The largest request body accepted, in bytes (env MAX_BODY_BYTES; default \(Serve.defaultMaxBodyBytes)).",
                valueName: "bytes"
            )
        )
        var maxBodyBytes: String?

        /// `--webhook-retry-hours`, else `WEBHOOK_RETRY_HOURS`.
        @Option(
            name: .customLong("webhook-retry-hours"),
            help: ArgumentHelp(
                "How long a failing webhook delivery is retried before it is dead-lettered, in hours (env WEBHOOK_RETRY_HOURS; default 72).",
                valueName: "hours"
            )
        )
        var webhookRetryHours: String?

        /// `--rate-limit-per-second`, else `RATE_LIMIT_PER_SECOND`.
        @Option(
            name: .customLong("rate-limit-per-second"),
            help: ArgumentHelp(
                "SCIM requests a second each directory may make, sustained; 0 turns the limit off (env RATE_LIMIT_PER_SECOND; default 0).",
                valueName: "requests"
            )
        )
        var rateLimitPerSecond: String?

        /// `--rate-limit-burst`, else `RATE_LIMIT_BURST`.
        @Option(
            name: .customLong("rate-limit-burst"),
            help: ArgumentHelp("SCIM requests a directory may make at once (env RATE_LIMIT_BURST; default 200).", valueName: "requests")
        )
        var rateLimitBurst: String?

        /// `--rate-limit-concurrent-requests`, else `RATE_LIMIT_CONCURRENT_REQUESTS`.
        @Option(
            name: .customLong("rate-limit-concurrent-requests"),
            help: ArgumentHelp(
                "SCIM requests of one directory handled at once; more get 429 with Retry-After; 0 turns the limit off (env RATE_LIMIT_CONCURRENT_REQUESTS; default \(ServerConfiguration.defaultConcurrentRequests)).",
                valueName: "requests"
            )
        )
        var rateLimitConcurrentRequests: String?

        /// `--metrics-token`, else `METRICS_TOKEN`.
        @Option(
            name: .customLong("metrics-token"),
            help: ArgumentHelp(
                "The bearer token a scrape of /metrics must present; unset, /metrics is off (env METRICS_TOKEN).",
                valueName: "token"
            )
        )
        var metricsToken: String?

        /// `--trusted-proxies`, else `TRUSTED_PROXIES`.
        @Option(
            name: .customLong("trusted-proxies"),
            help: ArgumentHelp(
                "Load balancers whose X-Forwarded-For names the client, as addresses or CIDR ranges separated by commas; unset, the header is ignored (env TRUSTED_PROXIES).",
                valueName: "addresses"
            )
        )
        var trustedProxies: String?

        /// `--audit-retention-days`, else `AUDIT_RETENTION_DAYS`.
        @Option(
            name: .customLong("audit-retention-days"),
            help: ArgumentHelp(
                "How long the audit trail keeps entries, in days; older ones are deleted a whole day at a time (env AUDIT_RETENTION_DAYS; default \(AuditRetention.defaultDays)).",
                valueName: "days"
            )
        )
        var auditRetentionDays: String?

        /// 10 MiB. (Logging is set by LOG_FORMAT=text|json and LOG_LEVEL, environment only.)
        static let defaultMaxBodyBytes = 10_485_760
        /// The longest `AUDIT_RETENTION_DAYS` accepted: 100 years, far from overflowing the cutoff's milliseconds.
        static let maxAuditRetentionDays = AuditRetention.maximumDays

        /// Runs the server.
        func run() async throws {
            try await CommandFailure.reporting {
                let environment = ProcessInfo.processInfo.environment
                let address = try address.resolve(environment: environment)
                var bodyLimit = Serve.defaultMaxBodyBytes
                if let text = Setting.maxBodyBytes.value(flag: maxBodyBytes, environment: environment) {
                    bodyLimit = try Setting.maxBodyBytes.integer(text, in: 1...Int.max, expected: "a positive number of bytes")
                }
                var retryPolicy = RetryPolicy()
                if let text = Setting.webhookRetryHours.value(flag: webhookRetryHours, environment: environment) {
                    let hours = try Setting.webhookRetryHours.integer(text, in: 1...8760, expected: "a number of hours from 1 to 8760")
                    retryPolicy.window = Int64(hours) * 3_600_000
                }
                var perSecond = 0
                if let text = Setting.rateLimitPerSecond.value(flag: rateLimitPerSecond, environment: environment) {
                    perSecond = try Setting.rateLimitPerSecond.integer(
                        text,
                        in: 0...1_000_000,
                        expected: "a number of requests a second (0: no limit)"
                    )
                }
                var burst = 200
                if let text = Setting.rateLimitBurst.value(flag: rateLimitBurst, environment: environment) {
                    burst = try Setting.rateLimitBurst.integer(text, in: 1...1_000_000, expected: "a positive number of requests")
                }
                var concurrent = ServerConfiguration.defaultConcurrentRequests
                if let text = Setting.rateLimitConcurrentRequests.value(flag: rateLimitConcurrentRequests, environment: environment) {
                    concurrent = try Setting.rateLimitConcurrentRequests.integer(
                        text,
                        in: 0...1_000_000,
                        expected: "a number of requests (0: no limit)"
                    )
                }
                var proxies = TrustedProxies.none
                if let text = Setting.trustedProxies.value(flag: trustedProxies, environment: environment) {
                    do throws(TrustedProxies.InvalidEntry) {
                        proxies = try TrustedProxies(parsing: text)
                    } catch {
                        throw CommandFailure.configuration(error.description)
                    }
                }
                var auditRetention = AuditRetention()
                if let text = Setting.auditRetentionDays.value(flag: auditRetentionDays, environment: environment) {
                    let days = try Setting.auditRetentionDays.integer(
                        text,
                        in: 1...Serve.maxAuditRetentionDays,
                        expected: "a number of days from 1 to \(Serve.maxAuditRetentionDays)"
                    )
                    auditRetention = AuditRetention(days: days)
                }
                let level = try LogSetup.bootstrap(environment: environment)
                var logger = Logger(label: "roster")
                logger.logLevel = level
                let database = try global.openStore(environment: environment, logger: logger)
                let admins = adminOptions.allowList(environment: environment)
                let oidc = try oidcOptions.resolve(environment: environment)
                let saml = try await samlOptions.resolve(environment: environment)
                let configuration = ServerConfiguration(
                    host: address.host,
                    port: address.port,
                    baseURL: address.baseURL,
                    maxBodyBytes: bodyLimit,
                    admins: admins,
                    scimRequestsPerSecond: Double(perSecond),
                    scimBurst: Double(burst),
                    scimConcurrentRequests: concurrent,
                    debugDirectoryID: environment["LOG_DEBUG_DIRECTORY"].flatMap { $0.trimmed().isEmpty ? nil : $0.trimmed() },
                    oidc: oidc,
                    saml: saml,
                    metricsToken: Setting.metricsToken.value(flag: metricsToken, environment: environment)?.trimmed(),
                    trustedProxies: proxies,
                    auditRetention: auditRetention
                )
                let baseURL = address.baseURL
                // On PostgreSQL the pool runs in the server's service group (stopped last, once requests have drained
                // and the webhook worker has stopped), and the migrations apply once it runs, before the server listens.
                let app = buildApplication(
                    configuration: configuration,
                    store: database.storage,
                    logger: logger,
                    webhooks: WebhookWorkerConfiguration(retryPolicy: retryPolicy),
                    services: database.postgresStore.map { [$0] } ?? [],
                    beforeServing: {
                        try await database.migrate()
                        try await Serve.announceFirstSignIn(store: database.storage, admins: admins, baseURL: baseURL)
                    }
                )
                Console.out("Starting Roster on \(address.listeningURL)")
                Console.out("Settings: \(address.baseURL)/settings/organization/dsync")
                Console.out("SCIM Base URLs: \(SCIMPaths.base(baseURL: address.baseURL, directoryID: "{directoryId}"))")
                Console.out("Database: \(database.summary)")
                if let saml {
                    Console.out(
                        "Sign in with \(saml.providerName) (SAML): IdP \(saml.identityProvider.entityID); ACS URL \(saml.acsURL(baseURL: address.baseURL)); SP entity ID \(saml.entityID(baseURL: address.baseURL))"
                    )
                }
                if !proxies.isEmpty {
                    Console.out("Client addresses from X-Forwarded-For when the connection comes from: \(proxies)")
                }
                if let oidc {
                    Console.out(
                        "Sign in with \(oidc.providerName): issuer \(oidc.issuer); redirect URI \(oidc.redirectURI(baseURL: address.baseURL))"
                    )
                }
                do {
                    try await app.runService()
                } catch let failure as CommandFailure {
                    throw failure
                } catch {
                    throw CommandFailure.failed("cannot serve on \(address.listeningURL): \(String(describing: error).replacingNewlines())")
                }
                // Graceful shutdown has drained requests and stopped the webhook worker: fold the WAL into the file.
                if let file = database.sqliteFile {
                    do {
                        try await file.store.checkpoint()
                    } catch {
                        throw CommandFailure.failed("stopped, but the WAL checkpoint failed: \(String(describing: error).replacingNewlines())")
                    }
                }
                Console.out("Roster stopped.")
            }
        }

        /// Until someone has signed in, prints a one-time sign-in link for the first admin, so that a newcomer gets
        /// to the settings pages from the start-up output; with no admins, says how to name one.
        private static func announceFirstSignIn(store: any RosterStorage, admins: AdminAllowList, baseURL: String) async throws(CommandFailure) {
            guard let first = admins.emails.first else {
                Console.out("Settings pages are locked: SAML_ADMINS is empty. Set it to the admins' emails, such as SAML_ADMINS=you@example.com.")
                return
            }
            do {
                guard try await !store.hasAnyAdminSignedIn() else { return }
                let link = try await store.issueLoginLink(for: first, admins: admins, baseURL: baseURL)
                Console.out("No admin has signed in yet. One-time sign-in link for \(first) (works once, for 15 minutes):\n\(link)")
            } catch {
                throw CommandFailure.failed("cannot prepare the first sign-in link: \(String(describing: error).replacingNewlines())")
            }
        }
    }
}
