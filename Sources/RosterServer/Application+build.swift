import Hummingbird
import Logging
import RosterCore
import SCIM
import ServiceLifecycle

/// Builds the Roster HTTP application: the router of ``buildRouter(configuration:store:logger:requestLog:webhooks:)``
/// served on `configuration.host`:`configuration.port`, with the ``WebhookWorker`` and the audit trail's
/// ``AuditRetentionService`` running beside it until graceful shutdown.
///
/// `services` run for the application's whole life, started before the server and the worker and stopped after
/// them (the store's connection pool, which they use until they have drained). `beforeServing` runs once those
/// services run and before the server listens (the store's migrations), and the webhook worker waits for it too;
/// when it throws, the application stops with its error.
public func buildApplication(
    configuration: ServerConfiguration,
    store: some RosterStorage,
    logger: Logger,
    requestLog: RequestLog? = nil,
    webhooks: WebhookWorkerConfiguration = .init(),
    webhookTransport: any WebhookTransport = HTTPClientWebhookTransport(),
    services: [any Service] = [],
    beforeServing: (@Sendable () async throws -> Void)? = nil
) -> some ApplicationProtocol {
    let metrics = RosterMetrics()
    let requestLog = requestLog ?? RequestLog(store: store)
    let router = buildRouter(
        configuration: configuration,
        store: store,
        logger: logger,
        requestLog: requestLog,
        webhookTransport: webhookTransport,
        webhookRetryWindow: webhooks.retryPolicy.window,
        metrics: metrics
    )
    let started = StartSignal()
    let worker = WebhookWorker(
        store: store,
        transport: webhookTransport,
        configuration: webhooks,
        logger: logger,
        metrics: metrics,
        startsAfter: started
    )
    let retention = AuditRetentionService(store: store, retention: configuration.auditRetention, logger: logger, startsAfter: started)
    // A service group stops its services in reverse order: the server first, then the worker and the audit
    // retention, then the request log's last batch, then `services` (the store's pool, which the others write
    // through until they end).
    var application = Application(
        router: router,
        server: .http1OnConnectionLoops(),
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "Roster"),
        services: services + [RequestLogFlusher(log: requestLog, logger: logger), retention, worker],
        logger: logger
    )
    application.beforeServerStarts {
        try await beforeServing?()
        started.give()
    }
    return application
}

/// Builds the whole router: the SCIM endpoints (see ``addSCIMRoutes(to:configuration:store:requestLog:)``), the
/// settings pages under `/settings/organization/dsync`, admin sign-in under `/auth` (sign-in links, OIDC through
/// `oidcTransport` when `configuration.oidc` is set, SAML when `configuration.saml` is), the read API under `/api/v1`, and the embedded assets under
/// `/static`.
public func buildRouter(
    configuration: ServerConfiguration,
    store: some RosterStorage,
    logger: Logger,
    requestLog: RequestLog? = nil,
    webhookTransport: any WebhookTransport = HTTPClientWebhookTransport(),
    webhookRetryWindow: Int64 = RetryPolicy().window,
    metrics: RosterMetrics = RosterMetrics(),
    oidcTransport: any OIDCTransport = HTTPClientOIDCTransport()
) -> Router<AppRequestContext> {
    let requestLog = requestLog ?? RequestLog(store: store)
    let router = Router(context: AppRequestContext.self)
    if !configuration.trustedProxies.isEmpty {
        router.add(middleware: ClientAddressMiddleware(trusted: configuration.trustedProxies))
    }
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: RequestLoggingMiddleware(debugDirectoryID: configuration.debugDirectoryID))
    let pages = PageRenderer()
    // Outermost of the error middlewares: the SCIM and read API ones answer their outages in their own forms first.
    router.add(middleware: StoreOutageMiddleware(pages: pages))
    let failedAuthentications = RateLimiter(
        capacity: configuration.failedAuthenticationsPerMinute,
        ratePerSecond: configuration.failedAuthenticationsPerMinute / 60
    )
    addSCIMRoutes(
        to: router,
        configuration: configuration,
        store: store,
        requestLog: requestLog,
        failedAuthentications: failedAuthentications,
        metrics: metrics
    )
    HealthController(store: store).addRoutes(to: router)
    MetricsController(store: store, metrics: metrics, tokenHash: configuration.metricsToken.map(BearerToken.hash)).addRoutes(to: router)
    let access = AdminAccess(store: store, admins: configuration.admins)
    let flashes = FlashMessages(store: store)
    let cookies = SessionCookies(secure: configuration.usesHTTPS)
    let oidcSignIn = configuration.oidc.map { settings in
        OIDCSignInPage(
            providerName: settings.providerName,
            startPath: OIDCSettings.startPath,
            redirectURI: settings.redirectURI(baseURL: configuration.baseURL)
        )
    }
    let samlSignIn = configuration.saml.map { settings in
        SAMLSignInPage(
            providerName: settings.providerName,
            startPath: SAMLSettings.startPath,
            acsURL: settings.acsURL(baseURL: configuration.baseURL),
            entityID: settings.entityID(baseURL: configuration.baseURL),
            metadataURL: settings.metadataURL(baseURL: configuration.baseURL)
        )
    }
    let signIns = SignInSupport(access: access, pages: pages, cookies: cookies, failedAttempts: failedAuthentications)
    AuthController(support: signIns, oidc: oidcSignIn, saml: samlSignIn).addRoutes(to: router)
    if let settings = configuration.saml {
        SAMLController(support: signIns, store: store, settings: settings, baseURL: configuration.baseURL).addRoutes(to: router)
    }
    if let settings = configuration.oidc {
        OIDCController(
            support: signIns,
            provider: OIDCProvider(settings: settings, redirectURI: settings.redirectURI(baseURL: configuration.baseURL), transport: oidcTransport),
            providerName: settings.providerName,
            pending: PendingSignIns(store: store)
        ).addRoutes(to: router)
    }
    // The settings pages: AdminSessionMiddleware lets only an admin's session through and sets it on the context, from
    // which each route's AdminRequestContext is made; one controller per area adds its routes.
    let settings = router.group(RouterPath(SettingsPaths.root))
        .add(middleware: AdminSessionMiddleware(access: access, pages: pages, cookies: cookies))
        .group(context: AdminRequestContext.self)
    let support = SettingsPageSupport(pages: pages, flashes: flashes)
    DirectoriesController(store: store, requestLog: requestLog, baseURL: configuration.baseURL, support: support).addRoutes(to: settings)
    PeopleController(store: store, support: support).addRoutes(to: settings)
    TeamsController(store: store, support: support).addRoutes(to: settings)
    WebhooksController(store: store, transport: webhookTransport, retryWindow: webhookRetryWindow, support: support).addRoutes(to: settings)
    APIKeysController(store: store, support: support).addRoutes(to: settings)
    AuditLogController(store: store, retention: configuration.auditRetention, support: support).addRoutes(to: settings)
    // Any other page under the settings root: past the session check (a stranger is sent to sign-in), a settings
    // page saying there is no such page, rather than the router's empty 404. (Only GET: every POST route is a form
    // with a CSRF token, which the CSRF tests enumerate.)
    settings.get("**") { _, _ -> Response in throw HTTPError(.notFound) }
    ReadAPIController(store: store).addRoutes(to: router)
    StaticFilesController().addRoutes(to: router)
    router.get("/") { _, _ in Response.redirect(to: SettingsPaths.root, type: .found) }
    router.get("/settings") { _, _ in Response.redirect(to: SettingsPaths.root, type: .found) }
    return router
}

/// Builds a router with the SCIM endpoints alone, for a store that holds SCIM resources only (test doubles).
public func buildSCIMRouter(configuration: ServerConfiguration, store: some RosterStore, requestLog: RequestLog? = nil) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    addSCIMRoutes(to: router, configuration: configuration, store: store, requestLog: requestLog)
    return router
}

/// Adds the SCIM endpoints under `/api/scim/v2.0/{directoryId}`: a router group with its own context
/// (``SCIMRequestContext``) behind ``SCIMRequestMiddleware``, which reads each request once, requires the
/// directory's bearer token, gives every answer SCIM form and records it in the request log and the metrics. Paths
/// under the prefix that no route names match the group's catch-all routes, so they are authenticated and answered
/// in SCIM form too. Each directory may have `configuration.scimConcurrentRequests` requests in flight (and, when
/// set, `configuration.scimRequestsPerSecond`), and a client address that presents too many wrong tokens is held
/// off.
public func addSCIMRoutes(
    to router: Router<AppRequestContext>,
    configuration: ServerConfiguration,
    store: some RosterStore,
    requestLog: RequestLog?,
    failedAuthentications: RateLimiter? = nil,
    metrics: RosterMetrics? = nil
) {
    let perDirectory =
        configuration.scimRequestsPerSecond > 0
        ? RateLimiter(capacity: configuration.scimBurst, ratePerSecond: configuration.scimRequestsPerSecond) : nil
    let concurrent = configuration.scimConcurrentRequests > 0 ? ConcurrencyLimiter(limit: configuration.scimConcurrentRequests) : nil
    let prefix = RouterPath(SCIMPaths.prefix)
    let directory = prefix.appendingPath("{directoryId}")
    let routes = SCIMController(store: store, configuration: configuration).routes()
    let scim = router.group(prefix, context: SCIMRequestContext.self)
        .add(
            middleware: SCIMRequestMiddleware(
                admission: SCIMAdmission(
                    store: store,
                    failedAttempts: failedAuthentications,
                    requestsPerDirectory: perDirectory,
                    concurrentPerDirectory: concurrent
                ),
                operations: SCIMOperationTable(routes, base: directory),
                requestLog: requestLog,
                metrics: metrics,
                maxBodyBytes: configuration.maxBodyBytes
            )
        )
    let directoryRoutes = scim.group("{directoryId}")
    for route in routes {
        directoryRoutes.on(route.path, method: route.method, use: route.handler)
    }
    // The prefix alone names no directory: 401, as for a directory that does not exist. (Every longer path names
    // one, and the directory's own catch-all takes what its routes do not.)
    for method in SCIMRoute.answeredMethods {
        scim.on("", method: method, use: SCIMRoute.unknownPath)
    }
}
