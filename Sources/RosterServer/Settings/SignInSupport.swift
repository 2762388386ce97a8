import Hummingbird
import Logging
import RosterCore

/// What the admin sign-in controllers (``AuthController``, ``OIDCController``, ``SAMLController``) share: sessions and
/// the admin list, the pages, the session cookie and the limit on failed sign-ins per client address; and the steps
/// every way of signing in takes: holding off an address that failed too often, counting and recording a failure,
/// and the redirect that starts the admin's session in the browser.
struct SignInSupport<Store: AdminSessionStore>: Sendable {
    /// Sessions and the admin list.
    let access: AdminAccess<Store>
    /// Renders the sign-in help page and the pages a sign-in ends on.
    let pages: PageRenderer
    /// The session cookie.
    let cookies: SessionCookies
    /// Failed sign-ins per client address, shared by sign-in links, OIDC, SAML and bearer tokens; nil for no limit.
    let failedAttempts: RateLimiter?

    /// The 429 page when `client` has failed to sign in too often (`what` says what failed); nil when it may try.
    func heldOff(_ client: String, _ what: String) -> Response? {
        guard let failedAttempts, !failedAttempts.allows(client) else { return nil }
        return pages.tooManySignInAttempts(what)
    }

    /// Counts a failed sign-in against `client` and records it in the audit trail with its `reason`.
    func recordFailure(email: String?, method: SignInMethod, reason: String, client: String) async throws {
        _ = failedAttempts?.take(client)
        try await access.recordFailedSignIn(email: email, method: method, reason: reason, address: client)
    }

    /// The answer to a sign-in that `started` a session: logged, a 303 to the settings that sets the session cookie.
    func signedIn(_ started: StartedSession, context: AppRequestContext) -> Response {
        context.logger.info("Admin signed in", metadata: ["method": "\(started.session.method.rawValue)"])
        var response = Response.redirect(to: SettingsPaths.root, type: .normal)
        response.setCookie(cookies.issue(started.token, maxAgeSeconds: Int(AdminAccess<Store>.sessionLifetime / 1000)))
        return response
    }
}
