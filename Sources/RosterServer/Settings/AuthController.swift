import Hummingbird
import Logging
import RosterCore

/// Admin sign-in: the sign-in help page, one-time sign-in links, and sign-out. Other methods (OIDC, SAML) add their
/// routes beside these and end, like the link, in ``AdminAccess/startSession(email:method:address:)``.
struct AuthController<Store: AdminSessionStore>: Sendable {
    /// Sessions, pages, the session cookie and the limit on failed sign-ins.
    let support: SignInSupport<Store>
    /// The OIDC sign-in button and setup help; nil when OIDC is not configured.
    let oidc: OIDCSignInPage?
    /// The SAML button and setup values, when SAML is configured.
    let saml: SAMLSignInPage?

    /// Adds the sign-in help page, the sign-in link's landing route and sign-out.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SettingsPaths.signIn), use: signInPage)
        router.get(RouterPath(SettingsPaths.loginLink), use: useLoginLink)
        router.post(RouterPath(SettingsPaths.signOut), use: signOut)
    }

    /// The model of the `sign-in` template.
    struct SignInPage {
        /// The layout's part.
        var chrome = PageChrome()
        /// Whether `SAML_ADMINS` is empty.
        var noAdmins: Bool
        /// The OIDC sign-in, when configured.
        var oidc: OIDCSignInPage?
        /// The SAML sign-in, when configured.
        var saml: SAMLSignInPage?
        /// Whether any identity provider sign-in is configured (the link then comes second).
        var hasProvider: Bool { oidc != nil || saml != nil }
    }

    /// GET /auth/sign-in: how to sign in; a signed-in admin goes straight to the settings.
    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = support.access
        if let token = support.cookies.token(in: request), let session = try await access.session(forToken: token),
            access.isAdmin(session.email)
        {
            return .redirect(to: SettingsPaths.root, type: .normal)
        }
        return support.pages.page("sign-in", SignInPage(noAdmins: access.admins.isEmpty, oidc: oidc, saml: saml))
    }

    /// GET /auth/login?token=…: uses up a sign-in link and starts a session.
    @Sendable func useLoginLink(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = QueryString(request.uri.query).value(named: "token") ?? ""
        let client = context.clientAddress
        if let heldOff = support.heldOff(client, "Too many sign-in links that did not work came from this address.") {
            return heldOff
        }
        guard let started = try await support.access.signIn(withLinkToken: token, address: client) else {
            _ = support.failedAttempts?.take(client)
            return support.pages.message(
                status: .badRequest,
                heading: "Sign-in link not valid",
                message: "This sign-in link was already used, has expired (links work for 15 minutes), or was copied incompletely.",
                hint: "Run roster login-link with your email on the machine that runs Roster for a new one.",
                back: (SettingsPaths.signIn, "Sign-in help")
            )
        }
        return support.signedIn(started, context: context)
    }

    /// POST /auth/sign-out: ends the session (the form's CSRF token must match).
    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = support.cookies.token(in: request) {
            let session = try await support.access.session(forToken: token)
            do {
                _ = try await SubmittedForm.read(request, session: session)
            } catch let error as SettingsPageError {
                return support.pages.message(status: .init(code: error.status), heading: error.heading, message: error.message)
            }
            try await support.access.signOut(token: token, address: context.clientAddress)
        }
        var response = Response.redirect(to: SettingsPaths.signIn, type: .normal)
        response.setCookie(support.cookies.clear())
        return response
    }
}
