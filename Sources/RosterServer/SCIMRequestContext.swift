import Hummingbird
import NIOCore

/// The request context of the SCIM routes, a child of ``AppRequestContext``: what ``SCIMRequestMiddleware`` learnt
/// about the request once (the directory it authenticated, the operation), for the handlers, the request log and the
/// metrics, so that nothing reads the path again.
public struct SCIMRequestContext: ChildRequestContext {
    /// Hummingbird's storage (route parameters, the matched route's path, the logger).
    public var coreContext: CoreRequestContextStorage
    /// The address the connection came from.
    let remoteAddress: SocketAddress?
    /// The address a trusted proxy forwarded for the client, if any.
    let forwardedClientAddress: String?
    /// The directory named in the path, percent-decoded; set by ``SCIMRequestMiddleware`` (empty on a path that
    /// names none). The handlers run only once its token was good.
    public var directoryID = ""
    /// The operation, the metrics label; set by ``SCIMRequestMiddleware`` from the route that matched.
    public var operation = SCIMOperation.other

    /// Makes the SCIM context of a request the router matched to a SCIM route.
    public init(context: AppRequestContext) {
        coreContext = context.coreContext
        remoteAddress = context.remoteAddress
        forwardedClientAddress = context.forwardedClientAddress
    }

    /// The client's address for per-client limits: the one a trusted proxy forwarded, else the connection's.
    var clientAddress: String {
        forwardedClientAddress ?? remoteAddress?.ipAddress ?? "unknown"
    }
}
