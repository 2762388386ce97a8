import Hummingbird
import NIOCore
import RosterCore

/// The request context of Roster's router: Hummingbird's basics, the client's address (for per-client limits), and
/// the admin session, which ``AdminSessionMiddleware`` sets on the settings pages.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext, ClientAddressRequestContext {
    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// The signed-in admin's session, on the settings pages.
    public var adminSession: AdminSession?
    /// Whose flash values the settings pages read and leave, set with ``adminSession``.
    var flashOwner: FlashOwner?
    /// The address the connection came from.
    public let remoteAddress: SocketAddress?
    /// The client's address: the connection's, or behind a trusted proxy the one it forwarded
    /// (``ClientAddressMiddleware``).
    public var clientAddress: String

    /// Makes a context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        adminSession = nil
        flashOwner = nil
        remoteAddress = source.channel.remoteAddress
        clientAddress = TrustedProxies.none.clientAddress(peer: remoteAddress?.ipAddress, forwardedFor: []) ?? "unknown"
    }
}
