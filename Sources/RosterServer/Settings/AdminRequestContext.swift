import Hummingbird
import RosterCore

/// The request context of the settings pages, a child of ``AppRequestContext``: the signed-in admin that
/// ``AdminSessionMiddleware`` let through, so that a handler has the session (for the layout, the CSRF check and the
/// audit trail) and the owner of its flash values as plain values, not optionals to unwrap and check again.
struct AdminRequestContext: ChildRequestContext {
    /// Hummingbird's storage (route parameters, the matched route's path, the logger).
    var coreContext: CoreRequestContextStorage
    /// The live session of an admin listed in `SAML_ADMINS`.
    let session: AdminSession
    /// Whose flash values the request reads and leaves: the session's.
    let flashOwner: FlashOwner
    /// The client's address (the one a trusted proxy forwarded, else the connection's), for the audit trail.
    let clientAddress: String

    /// Takes the admin that ``AdminSessionMiddleware`` set on `context`. The middleware sits in front of every settings
    /// route, so a context without one does not reach this; if it did, the answer would be the signed-out page.
    init(context: AppRequestContext) throws {
        guard let session = context.adminSession, let flashOwner = context.flashOwner else {
            throw SettingsPageError.signedOut
        }
        coreContext = context.coreContext
        self.session = session
        self.flashOwner = flashOwner
        clientAddress = context.clientAddress
    }

    /// Who the audit trail records for this request's changes: the signed-in admin, from the client's address.
    var actor: AuditActor {
        .admin(email: session.email, address: clientAddress)
    }
}
