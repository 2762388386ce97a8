import Hummingbird
import Logging
import RosterCore
import SCIM

/// Builds the Roster HTTP application: the router of ``buildRouter(configuration:store:logger:requestLog:webhooks:)``
/// served on `configuration.host`:`configuration.port`, with the ``WebhookWorker`` running beside it until graceful
/// shutdown.
public func buildApplication(
    configuration: ServerConfiguration,
    store: some RosterStorage,
    logger: Logger,
    requestLog: RequestLog = RequestLog(),
    webhooks: WebhookWorkerConfiguration = .init(),
    webhookTransport: any WebhookTransport = HTTPClientWebhookTransport()
) -> some ApplicationProtocol {
    let metrics = RosterMetrics()
    let router = buildRouter(
        configuration: configuration,
        store: store,
        logger: logger,
        requestLog: requestLog,
        webhookTransport: webhookTransport,
        webhookRetryWindow: webhooks.retryPolicy.window,
        metrics: metrics
    )
    let worker = WebhookWorker(store: store, transport: webhookTransport, configuration: webhooks, logger: logger, metrics: metrics)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "Roster"),
        services: [worker],
        logger: logger
    )
}

/// Builds the whole router: the SCIM endpoints (see ``addSCIMRoutes(to:configuration:store:requestLog:)``), the
/// settings pages under `/settings/organization/dsync`, admin sign-in under `/auth` (sign-in links, and OIDC through
/// `oidcTransport` when `configuration.oidc` is set), the read API under `/api/v1`, and the embedded assets under
/// `/static`.
public func buildRouter(
    configuration: ServerConfiguration,
    store: some RosterStorage,
    logger: Logger,
    requestLog: RequestLog = RequestLog(),
    webhookTransport: any WebhookTransport = HTTPClientWebhookTransport(),
    webhookRetryWindow: Int64 = RetryPolicy().window,
    metrics: RosterMetrics = RosterMetrics(),
    oidcTransport: any OIDCTransport = HTTPClientOIDCTransport()
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: RequestLoggingMiddleware(debugDirectoryID: configuration.debugDirectoryID))
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
    let pages = PageRenderer()
    let flashes = FlashMessages()
    let cookies = SessionCookies(secure: configuration.usesHTTPS)
    let oidcSignIn = configuration.oidc.map { settings in
        OIDCSignInPage(
            providerName: settings.providerName,
            startPath: OIDCSettings.startPath,
            redirectURI: settings.redirectURI(baseURL: configuration.baseURL)
        )
    }
    AuthController(access: access, pages: pages, cookies: cookies, failedAttempts: failedAuthentications, oidc: oidcSignIn).addRoutes(to: router)
    if let settings = configuration.oidc {
        OIDCController(
            access: access,
            provider: OIDCProvider(settings: settings, redirectURI: settings.redirectURI(baseURL: configuration.baseURL), transport: oidcTransport),
            providerName: settings.providerName,
            pending: PendingSignIns(),
            pages: pages,
            cookies: cookies,
            failedAttempts: failedAuthentications
        ).addRoutes(to: router)
    }
    SettingsController(
        store: store,
        configuration: configuration,
        pages: pages,
        flashes: flashes,
        requestLog: requestLog,
        webhookTransport: webhookTransport,
        webhookRetryWindow: webhookRetryWindow
    ).addRoutes(
        to: router.group(RouterPath(SettingsPaths.root)).add(middleware: AdminSessionMiddleware(access: access, pages: pages, cookies: cookies))
    )
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

/// Adds the SCIM endpoints under `/api/scim/v2.0/{directoryId}`, behind the middlewares that give every answer
/// under that prefix SCIM form (``SCIMErrorMiddleware``), record it in the request log, and require the directory's
/// bearer token (``BearerAuthenticationMiddleware``). They are router-wide so that they also cover paths no route
/// matches; each passes other paths through untouched. Each directory may have `configuration.scimConcurrentRequests`
/// requests in flight (and, when set, `configuration.scimRequestsPerSecond`), and a client address that presents too
/// many wrong tokens is held off.
public func addSCIMRoutes(
    to router: Router<AppRequestContext>,
    configuration: ServerConfiguration,
    store: some RosterStore,
    requestLog: RequestLog?,
    failedAuthentications: RateLimiter? = nil,
    metrics: RosterMetrics? = nil
) {
    router.add(middleware: SCIMErrorMiddleware(maxBodyBytes: configuration.maxBodyBytes))
    if let requestLog {
        router.add(middleware: SCIMRequestLogMiddleware(log: requestLog, maxBodyBytes: configuration.maxBodyBytes, metrics: metrics))
    }
    let perDirectory =
        configuration.scimRequestsPerSecond > 0
        ? RateLimiter(capacity: configuration.scimBurst, ratePerSecond: configuration.scimRequestsPerSecond) : nil
    let concurrent = configuration.scimConcurrentRequests > 0 ? ConcurrencyLimiter(limit: configuration.scimConcurrentRequests) : nil
    router.add(
        middleware: BearerAuthenticationMiddleware(
            store: store,
            failedAttempts: failedAuthentications,
            requestsPerDirectory: perDirectory,
            concurrentPerDirectory: concurrent
        )
    )
    let controller = SCIMController(store: store, configuration: configuration)
    controller.addRoutes(to: router.group(RouterPath(SCIMPaths.prefix)).group("{directoryId}"))
}
