import Hummingbird
import NIOCore
import RosterCore

/// The request context of Roster's router: Hummingbird's basics, the client's address (for per-client limits), and
/// the admin session, which ``AdminSessionMiddleware`` sets on the settings pages for their ``AdminRequestContext``.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext, ClientAddressRequestContext {
    /// Hummingbird's storage (route parameters, the matched route's path, the logger).
    public var coreContext: CoreRequestContextStorage
    /// The signed-in admin's session, on the settings pages: set by ``AdminSessionMiddleware``, taken by
    /// ``AdminRequestContext``, whose non-optional copy the handlers read.
    var adminSession: AdminSession?
    /// Whose flash values the settings pages read and leave, set with ``adminSession``.
    var flashOwner: FlashOwner?
    /// The address the connection came from.
    public let remoteAddress: SocketAddress?
    /// The id of the read-API key the request presented (``APIKeyMiddleware``), on the read API.
    public var apiKeyID: String?
    /// The address a trusted proxy forwarded for the client (``ClientAddressMiddleware``), if any.
    public var forwardedClientAddress: String?

    /// Makes a context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        adminSession = nil
        flashOwner = nil
        remoteAddress = source.channel.remoteAddress
        forwardedClientAddress = nil
        apiKeyID = nil
    }
}

extension AppRequestContext {
    /// The client's address: the one a trusted proxy forwarded, else the connection's (read only where a limit
    /// needs it, not on every request).
    public var clientAddress: String {
        forwardedClientAddress ?? remoteAddress?.ipAddress ?? "unknown"
    }
}
