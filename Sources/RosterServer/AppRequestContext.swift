import Hummingbird
import NIOCore
import RosterCore

/// The request context of Roster's router: Hummingbird's basics, the client's address (for per-client limits), and
/// the admin session, which ``AdminSessionMiddleware`` sets on the settings pages.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// The signed-in admin's session, on the settings pages.
    public var adminSession: AdminSession?
    /// The address the connection came from.
    public let remoteAddress: SocketAddress?

    /// Makes a context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        adminSession = nil
        remoteAddress = source.channel.remoteAddress
    }
}
