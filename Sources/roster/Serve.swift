import ArgumentParser
import Foundation
import Logging
import RosterCore
import RosterServer

extension Roster {
    /// `roster serve`: reads the configuration, opens the database and runs the HTTP server until SIGTERM or SIGINT.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the SCIM server.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var address: ServerAddressOptions
        @OptionGroup var adminOptions: AdminOptions
        @OptionGroup var oidcOptions: OIDCOptions
        @OptionGroup var samlOptions: SAMLOptions

        // Each option's name and help, like those of the groups above, come from its entry in `Setting.all`.
        @Option(name: Setting.maxBodyBytes.optionName, help: Setting.maxBodyBytes.optionHelp)
        var maxBodyBytes: String?

        @Option(name: Setting.webhookRetryHours.optionName, help: Setting.webhookRetryHours.optionHelp)
        var webhookRetryHours: String?

        @Option(name: Setting.rateLimitPerSecond.optionName, help: Setting.rateLimitPerSecond.optionHelp)
        var rateLimitPerSecond: String?

        @Option(name: Setting.rateLimitBurst.optionName, help: Setting.rateLimitBurst.optionHelp)
        var rateLimitBurst: String?

        @Option(name: Setting.rateLimitConcurrentRequests.optionName, help: Setting.rateLimitConcurrentRequests.optionHelp)
        var rateLimitConcurrentRequests: String?

        @Option(name: Setting.metricsToken.optionName, help: Setting.metricsToken.optionHelp)
        var metricsToken: String?

        @Option(name: Setting.trustedProxies.optionName, help: Setting.trustedProxies.optionHelp)
        var trustedProxies: String?

        @Option(name: Setting.auditRetentionDays.optionName, help: Setting.auditRetentionDays.optionHelp)
        var auditRetentionDays: String?

        func run() async throws {
            try await CommandFailure.reporting {
                let environment = ProcessInfo.processInfo.environment
                let address = try address.resolve(environment: environment)
                let bodyLimit = try Setting.maxBodyBytes.integer(flag: maxBodyBytes, environment: environment)
                let retryHours = try Setting.webhookRetryHours.integer(flag: webhookRetryHours, environment: environment)
                let perSecond = try Setting.rateLimitPerSecond.integer(flag: rateLimitPerSecond, environment: environment)
                let burst = try Setting.rateLimitBurst.integer(flag: rateLimitBurst, environment: environment)
                let concurrent = try Setting.rateLimitConcurrentRequests.integer(flag: rateLimitConcurrentRequests, environment: environment)
                var proxies = TrustedProxies.none
                if let text = Setting.trustedProxies.value(flag: trustedProxies, environment: environment) {
                    do throws(TrustedProxies.InvalidEntry) {
                        proxies = try TrustedProxies(parsing: text)
                    } catch {
                        throw CommandFailure.configuration(error.description)
                    }
                }
                let retentionDays = try Setting.auditRetentionDays.integer(flag: auditRetentionDays, environment: environment)
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
                    debugDirectoryID: Setting.logDebugDirectory.value(flag: nil, environment: environment)?.trimmed(),
                    oidc: oidc,
                    saml: saml,
                    metricsToken: Setting.metricsToken.value(flag: metricsToken, environment: environment)?.trimmed(),
                    trustedProxies: proxies,
                    auditRetention: AuditRetention(days: retentionDays)
                )
                let baseURL = address.baseURL
                // On PostgreSQL the pool runs in the server's service group (stopped last, once requests have drained
                // and the webhook worker has stopped), and the migrations apply once it runs, before the server listens.
                let app = buildApplication(
                    configuration: configuration,
                    store: database.storage,
                    logger: logger,
                    webhooks: WebhookWorkerConfiguration(retryPolicy: RetryPolicy(window: Int64(retryHours) * 3_600_000)),
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
