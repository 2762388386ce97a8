import Hummingbird
import Logging
import RosterCore
import SCIM

/// The request context of Roster's router.
public typealias AppRequestContext = BasicRequestContext

/// Builds the Roster HTTP application: the router of ``buildRouter(configuration:store:logger:)`` served on
/// `configuration.host`:`configuration.port`.
public func buildApplication(configuration: ServerConfiguration, store: some RosterStore, logger: Logger) -> some ApplicationProtocol {
    let router = buildRouter(configuration: configuration, store: store, logger: logger)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "Roster"),
        logger: logger
    )
}

/// Builds the router: the SCIM endpoints under `/api/scim/v2.0/{directoryId}`, behind the middlewares that give
/// every answer under that prefix SCIM form (``SCIMErrorMiddleware``) and require the directory's bearer token
/// (``BearerAuthenticationMiddleware``). Both are router-wide so that they also cover paths no route matches.
public func buildRouter(configuration: ServerConfiguration, store: some RosterStore, logger: Logger) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: SCIMErrorMiddleware(maxBodyBytes: configuration.maxBodyBytes))
    router.add(middleware: BearerAuthenticationMiddleware(store: store))
    let controller = SCIMController(store: store, configuration: configuration)
    controller.addRoutes(to: router.group(RouterPath(SCIMPaths.prefix)).group("{directoryId}"))
    return router
}
