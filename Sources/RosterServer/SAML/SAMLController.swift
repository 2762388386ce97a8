import Foundation
import Hummingbird
import Logging
import RosterCore
import RosterSAML

/// Admin sign-in with the identity provider over SAML 2.0 (Web Browser SSO, Roster as the Service Provider):
/// `GET /auth/saml/metadata` describes Roster to the IdP; `GET /auth/saml/start` sends the browser to the IdP with an
/// AuthnRequest and a one-time `RelayState` bound to it in the database (the IdP's answer is a cross-site POST, which
/// carries no SameSite cookie, and may reach another replica); `POST /auth/saml/acs` checks the answer
/// (``SAMLResponse``, ``SAMLAssertionRules``, the assertion remembered against replay) and starts a session for an
/// admin. Every failure ends on a page that says what happened, and in a log line with the check's reason code.
struct SAMLController<Store: AdminSessionStore & BrowserStateStore>: Sendable {
    /// Sessions, pages, the session cookie and the limit on failed sign-ins (shared with sign-in links, OIDC and
    /// bearer tokens).
    let support: SignInSupport<Store>
    /// Pending requests and used assertions.
    let store: Store
    /// The IdP and Roster's SP settings.
    let settings: SAMLSettings
    /// Roster's public URL.
    let baseURL: String
    /// The clock, in milliseconds since 1970.
    var now: @Sendable () -> Int64 = { WallClock.millisecondsSince1970() }

    /// How long a started sign-in may take, in milliseconds.
    static var requestLifetime: Int64 { 600_000 }
    /// How many sign-ins may wait at once.
    static var capacity: Int { 10_000 }
    /// The largest ACS body read: a base64 response of ``SAMLResponse/maximumBytes`` with its form encoding.
    static var maximumBodyBytes: Int { 524_288 }

    /// Adds the routes.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(SAMLSettings.metadataPath), use: metadata)
        router.get(RouterPath(SAMLSettings.startPath), use: start)
        router.post(RouterPath(SAMLSettings.acsPath), use: assertionConsumerService)
    }

    /// GET /auth/saml/metadata: the SP metadata the IdP imports.
    @Sendable func metadata(_ request: Request, context: AppRequestContext) async throws -> Response {
        let xml = SAMLServiceProviderMetadata.xml(
            entityID: settings.entityID(baseURL: baseURL),
            assertionConsumerServiceURL: settings.acsURL(baseURL: baseURL)
        )
        return Response(
            status: .ok,
            headers: [.contentType: "application/samlmetadata+xml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: xml))
        )
    }

    /// GET /auth/saml/start: a 302 to the IdP with an AuthnRequest whose ID and RelayState are stored.
    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (relayState, relayStateHash) = BearerToken.generate()
        let startedAt = now()
        let authnRequest = SAMLAuthnRequest(
            id: SAMLAuthnRequest.makeID(),
            serviceProviderEntityID: settings.entityID(baseURL: baseURL),
            assertionConsumerServiceURL: settings.acsURL(baseURL: baseURL),
            destination: settings.identityProvider.singleSignOnURL,
            issueInstant: Date(timeIntervalSince1970: Double(startedAt) / 1000)
        )
        try await store.saveSAMLRequest(
            relayStateHash: relayStateHash,
            PendingSAMLRequest(requestID: authnRequest.id, startedAt: startedAt),
            expiredBefore: startedAt - Self.requestLifetime,
            capacity: Self.capacity
        )
        let url = authnRequest.redirectURL(singleSignOnURL: settings.identityProvider.singleSignOnURL, relayState: relayState)
        return Response.redirect(to: url, type: .found)
    }

    /// POST /auth/saml/acs: checks the IdP's answer and signs an admin in.
    @Sendable func assertionConsumerService(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = context.clientAddress
        if let heldOff = support.heldOff(client, "Too many sign-ins that did not work came from this address.") {
            return heldOff
        }
        do {
            let accepted = try await check(request)
            guard support.access.isAdmin(accepted.email) else {
                let rejection = SAMLRejection(.notAnAdmin, "the email is not in SAML_ADMINS")
                try await support.recordFailure(email: accepted.email, method: .saml, reason: rejection.reason.rawValue, client: client)
                return failure(rejection, email: accepted.email, context: context)
            }
            let started = try await support.access.startSession(email: accepted.email, method: .saml, address: client)
            return support.signedIn(started, context: context)
        } catch let rejection as SAMLRejection {
            try await support.recordFailure(email: nil, method: .saml, reason: rejection.reason.rawValue, client: client)
            return failure(rejection, email: nil, context: context)
        }
    }

    /// Reads the form, verifies the response, binds it to this browser's pending request (found through its
    /// RelayState, used up), applies the rules and remembers the assertion; returns what was accepted.
    private func check(_ request: Request) async throws -> SAMLAssertionRules.Accepted {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw SAMLRejection(.bodyTooLarge, "the posted form is larger than \(Self.maximumBodyBytes) bytes")
        }
        let form = QueryString(String(buffer: body))
        guard let encoded = form.value(named: "SAMLResponse"), !encoded.isEmpty else {
            throw SAMLRejection(.missingResponse, "no SAMLResponse in the form")
        }
        let response = try SAMLResponse(base64: encoded, certificates: settings.identityProvider.certificates)
        var pendingRequestID: String?
        if let relayState = form.value(named: "RelayState"), !relayState.isEmpty,
            let pending = try await store.takeSAMLRequest(relayStateHash: BearerToken.hash(relayState)),
            now() - pending.startedAt < Self.requestLifetime
        {
            pendingRequestID = pending.requestID
        }
        let at = now()
        let accepted = try settings.rules(baseURL: baseURL).check(response, now: at, pendingRequestID: pendingRequestID)
        guard try await store.rememberSAMLAssertion(id: accepted.assertionID, until: accepted.rememberUntil, at: at) else {
            throw SAMLRejection(.replay, "the assertion was used before")
        }
        return accepted
    }

    /// The page for a refused sign-in, logged with its reason (never the assertion, a NameID or a signature).
    private func failure(_ rejection: SAMLRejection, email: String?, context: AppRequestContext) -> Response {
        context.logger.warning("SAML sign-in failed", metadata: ["reason": "\(rejection.reason.rawValue)", "detail": "\(rejection.detail)"])
        let failure = SAMLSignInFailure(rejection: rejection)
        return support.pages.message(
            status: failure.status,
            heading: failure.heading(provider: settings.providerName),
            message: failure.message(provider: settings.providerName, email: email),
            back: (SettingsPaths.signIn, "Back to sign-in")
        )
    }
}
