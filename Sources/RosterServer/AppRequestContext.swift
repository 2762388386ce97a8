import Hummingbird
import RosterCore

/// The request context of Roster's router: Hummingbird's basics plus the admin session, which
/// ``AdminSessionMiddleware`` sets on the settings pages.
public struct AppRequestContext: RequestContext {
    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// The signed-in admin's session, on the settings pages.
    public var adminSession: AdminSession?

    /// Makes a context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        adminSession = nil
    }
}
