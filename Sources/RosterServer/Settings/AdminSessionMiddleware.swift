import Hummingbird
import Logging
import RosterCore

/// Guards the settings pages: a request needs a live session (else it is sent to the sign-in page) whose email is
/// in `SAML_ADMINS` (else 403). It sets ``AppRequestContext/adminSession`` and ``AppRequestContext/flashOwner``, from
/// which the settings routes' ``AdminRequestContext`` is made, and turns errors into pages: a ``SettingsPageError``
/// into its page, anything unexpected into a 500 page (the error is logged, never shown).
struct AdminSessionMiddleware<Store: AdminSessionStore>: RouterMiddleware {
    /// Sessions and the admin list.
    let access: AdminAccess<Store>
    /// Renders the 403 page and the pages errors end on.
    let pages: PageRenderer
    /// The session cookie.
    let cookies: SessionCookies

    /// Sends a request without a live session to sign-in and a non-admin's to the 403 page; lets an admin's through
    /// with the session set, and answers whatever the route throws with a settings page.
    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let token = cookies.token(in: request), let session = try await access.session(forToken: token) else {
            var response = Response.redirect(to: SettingsPaths.signIn, type: .normal)
            if cookies.token(in: request) != nil { response.setCookie(cookies.clear()) }
            return response
        }
        let chrome = PageChrome(signedIn: true, email: session.email, csrfToken: session.csrfToken)
        guard access.isAdmin(session.email) else {
            return pages.message(
                status: .forbidden,
                heading: "Not an admin",
                message: "You are signed in as \(session.email), which is not listed in SAML_ADMINS, so you cannot configure directory sync.",
                hint: "Ask whoever runs Roster to add your email to SAML_ADMINS, or sign out and sign in as an admin.",
                chrome: chrome,
                back: (SettingsPaths.signIn, "Sign-in help")
            )
        }
        var context = context
        context.adminSession = session
        context.flashOwner = FlashOwner(sessionToken: token)
        do {
            return try await next(request, context)
        } catch let error as SettingsPageError {
            return pages.message(status: .init(code: error.status), heading: error.heading, message: error.message, chrome: chrome)
        } catch let error as any HTTPResponseError where SettingsPageError.answers(error.status) {
            let page = SettingsPageError(error.status, path: request.uri.path)
            return pages.message(status: error.status, heading: page.heading, message: page.message, chrome: chrome)
        } catch let error as StoreUnavailable {
            context.logger.warning("Settings request not served: \(error.reason)", metadata: ["path": "\(request.uri.path)"])
            return pages.storeUnavailable(error, chrome: chrome)
        } catch {
            context.logger.error("Settings request failed: \(String(reflecting: error))", metadata: ["path": "\(request.uri.path)"])
            return pages.message(
                status: .internalServerError,
                heading: "Something went wrong",
                message: "Roster could not complete this request. The server log has the details.",
                chrome: chrome
            )
        }
    }
}
