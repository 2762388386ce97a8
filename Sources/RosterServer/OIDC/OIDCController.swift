import Hummingbird
import Logging
import RosterCore

/// Admin sign-in with the identity provider over OpenID Connect: `GET /auth/oidc/start` sends the browser to the
/// provider with a fresh `state`, `nonce` and PKCE challenge bound to it by a cookie; `GET /auth/oidc/callback`
/// checks what comes back, redeems the code, verifies the ID token and starts a session for an admin's verified
/// email. Every failure ends on a page that says what happened, and in a log line without codes or tokens.
struct OIDCController<Store: AdminSessionStore>: Sendable {
    /// Sessions, pages, the session cookie and the limit on failed sign-ins (shared with sign-in links, SAML and
    /// bearer tokens).
    let support: SignInSupport<Store>
    /// The provider.
    let provider: OIDCProvider
    /// The provider's name, for pages.
    let providerName: String
    /// Sign-ins under way.
    let pending: PendingSignIns

    /// The cookie that binds a sign-in to the browser that started it.
    static var flowCookieName: String { "roster_oidc" }
    /// The path the flow cookie is sent to.
    static var flowCookiePath: String { "/auth/oidc" }

    /// Adds the routes.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(OIDCSettings.startPath), use: start)
        router.get(RouterPath(OIDCSettings.callbackPath), use: callback)
    }

    /// GET /auth/oidc/start: a 303 to the provider's sign-in, with this browser's sign-in in a cookie.
    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cookie, signIn) = try await pending.start()
        let url: String
        do throws(OIDCSignInError) {
            url = try await provider.authorizationURL(state: signIn.state, nonce: signIn.nonce, codeChallenge: PKCE.challenge(for: signIn.verifier))
        } catch {
            return failure(error, context: context)
        }
        var response = Response.redirect(to: url, type: .normal)
        response.setCookie(flowCookie(cookie, maxAge: Int(PendingSignIns.lifetime)))
        return response
    }

    /// GET /auth/oidc/callback?code=…&state=…: finishes the sign-in this browser started.
    @Sendable func callback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = context.clientAddress
        if let heldOff = support.heldOff(client, "Too many sign-ins that did not work came from this address.") {
            return heldOff
        }
        let query = QueryString(request.uri.query)
        let cookie = request.cookies[Self.flowCookieName]?.value ?? ""
        let signIn = cookie.isEmpty ? nil : try await pending.finish(cookie: cookie)
        do {
            let email = try await finish(signIn, query: query)
            let started = try await support.access.startSession(email: email, method: .oidc, address: client)
            var response = support.signedIn(started, context: context)
            response.setCookie(flowCookie("", maxAge: 0))
            return response
        } catch let error as OIDCSignInError {
            if case .providerRefused = error {
                // Not counted against the address (a person may press "deny"), so recorded only for a sign-in this
                // browser started here, which the refusal used up: a stranger cannot write entries with bare URLs.
                if signIn != nil {
                    try await support.access.recordFailedSignIn(email: nil, method: .oidc, reason: error.reasonCode, address: client)
                }
            } else {
                try await support.recordFailure(email: error.claimedEmail, method: .oidc, reason: error.reasonCode, client: client)
            }
            var response = failure(error, context: context)
            response.setCookie(flowCookie("", maxAge: 0))
            return response
        }
    }

    /// The checks of the callback, in order; returns the admin's verified email.
    private func finish(_ signIn: PendingSignIn?, query: QueryString) async throws(OIDCSignInError) -> String {
        if let error = query.value(named: "error") {
            throw .providerRefused(
                error: String(error.prefix(100)),
                description: query.value(named: "error_description").map { String($0.prefix(300)) }
            )
        }
        guard let signIn else { throw .signInExpired }
        guard IDTokenValidation.sameText(query.value(named: "state") ?? "", signIn.state) else { throw .stateMismatch }
        guard let code = query.value(named: "code"), !code.isEmpty else { throw .missingCode }
        let idToken = try await provider.redeem(code: code, verifier: signIn.verifier)
        let email = try await provider.verify(idToken: idToken, nonce: signIn.nonce)
        guard support.access.isAdmin(email) else { throw .notAnAdmin(email) }
        return email
    }

    /// The page for a failed sign-in, logged with its reason.
    private func failure(_ error: OIDCSignInError, context: AppRequestContext) -> Response {
        context.logger.warning("OIDC sign-in failed", metadata: ["reason": "\(error.logReason)"])
        return support.pages.message(
            status: error.status,
            heading: error.heading(provider: providerName),
            message: error.message(provider: providerName),
            back: (SettingsPaths.signIn, "Back to sign-in")
        )
    }

    /// The flow cookie: HttpOnly, SameSite=Lax (sent on the provider's top-level redirect back), only to
    /// `/auth/oidc`, Secure under https.
    private func flowCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: Self.flowCookieName,
            value: value,
            maxAge: maxAge,
            path: Self.flowCookiePath,
            secure: support.cookies.secure,
            httpOnly: true,
            sameSite: .lax
        )
    }
}
