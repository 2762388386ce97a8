import Foundation
import JWTKit
import RosterCore

/// The OpenID provider as Roster sees it: its discovery document and its signing keys (each fetched on first use and
/// kept for an hour; the keys are fetched again, once, for a token that names a key they lack, or that has no `kid`
/// and no cached key verifies), the authorization URL, the code exchange and the ID token checks.
actor OIDCProvider {
    /// The configuration.
    let settings: OIDCSettings
    /// Where the provider sends the browser back.
    let redirectURI: String
    /// How Roster reaches the provider.
    let transport: any OIDCTransport
    /// The current time.
    let now: @Sendable () -> Date

    private var metadata: (document: OIDCProviderMetadata, fetchedAt: Date)?
    private var keys: (collection: JWTKeyCollection, identifiers: Set<String>, fetchedAt: Date)?

    /// How long a discovery document or set of keys is used before it is fetched again.
    static let cacheLifetime: TimeInterval = 3600
    /// The signature algorithms accepted for ID tokens.
    static let acceptedAlgorithms: Set<String> = ["RS256", "ES256"]

    /// Makes the provider.
    init(settings: OIDCSettings, redirectURI: String, transport: any OIDCTransport, now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.redirectURI = redirectURI
        self.transport = transport
        self.now = now
    }

    /// The URL that starts a sign-in at the provider: the code flow with PKCE (S256), `state` and `nonce`.
    func authorizationURL(state: String, nonce: String, codeChallenge: String) async throws(OIDCSignInError) -> String {
        let endpoint = try await discovery().authorizationEndpoint
        let query: [(String, String)] = [
            ("response_type", "code"),
            ("client_id", settings.clientID),
            ("redirect_uri", redirectURI),
            ("scope", "openid email profile"),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", codeChallenge),
            ("code_challenge_method", "S256"),
        ]
        let encoded = query.map { SettingsPaths.queryValue($0.0) + "=" + SettingsPaths.queryValue($0.1) }.joined(separator: "&")
        return endpoint + (endpoint.contains("?") ? "&" : "?") + encoded
    }

    /// Redeems an authorization code at the token endpoint; returns the ID token.
    func redeem(code: String, verifier: String) async throws(OIDCSignInError) -> String {
        let document = try await discovery()
        var form: [(String, String)] = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirectURI),
            ("code_verifier", verifier),
        ]
        var headers: [(String, String)] = []
        if document.sendsSecretInBody {
            form += [("client_id", settings.clientID), ("client_secret", settings.clientSecret)]
        } else {
            // RFC 6749 §2.3.1: both parts form-encoded, then Basic.
            let credentials = SettingsPaths.queryValue(settings.clientID) + ":" + SettingsPaths.queryValue(settings.clientSecret)
            headers.append(("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString()))
        }
        let response: OIDCHTTPResponse
        do {
            response = try await transport.postForm(document.tokenEndpoint, form: form, headers: headers)
        } catch {
            throw .providerUnreachable("token endpoint: \(error)")
        }
        let body = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard (200..<300).contains(response.status) else {
            if (400..<500).contains(response.status) {
                throw .codeRefused(status: response.status, error: body?["error"] as? String)
            }
            throw .providerUnreachable("token endpoint answered HTTP \(response.status)")
        }
        guard let idToken = body?["id_token"] as? String, !idToken.isEmpty else {
            throw .invalidIDToken("the token response has no id_token")
        }
        return idToken
    }

    /// Checks an ID token's signature against the provider's keys and its claims against this sign-in; returns the
    /// verified email.
    func verify(idToken: String, nonce: String) async throws(OIDCSignInError) -> String {
        let header: JWTHeader
        do {
            header = try DefaultJWTParser().parse(Array(idToken.utf8), as: IDTokenClaims.self).header
        } catch {
            throw .invalidIDToken("malformed: \(error)")
        }
        guard let algorithm = header.alg, Self.acceptedAlgorithms.contains(algorithm) else {
            throw .invalidIDToken("algorithm \(header.alg ?? "none") is not RS256 or ES256")
        }
        var signingKeys = try await currentKeys()
        var refetched = false
        if let kid = header.kid, !signingKeys.identifiers.contains(kid) {
            // The provider may have rotated its keys since they were fetched: fetch them again, once.
            signingKeys = try await refetchedKeys()
            refetched = true
            guard signingKeys.identifiers.contains(kid) else { throw .invalidIDToken("no key \(kid) in the provider's JWKS") }
        }
        var claims: IDTokenClaims?
        do {
            claims = try await signingKeys.collection.verify(idToken, as: IDTokenClaims.self, iteratingKeys: header.kid == nil)
        } catch {
            // A token without a `kid` cannot say its key is new: when no cached key verifies it, fetch the keys again
            // once and retry.
            guard header.kid == nil, !refetched else { throw .invalidIDToken("signature: \(error)") }
        }
        if claims == nil {
            signingKeys = try await refetchedKeys()
            do {
                claims = try await signingKeys.collection.verify(idToken, as: IDTokenClaims.self, iteratingKeys: true)
            } catch {
                throw .invalidIDToken("signature: \(error)")
            }
        }
        guard let claims else { throw .invalidIDToken("signature: not verified") }
        let document = try await discovery()
        return try IDTokenValidation(issuer: document.issuer, clientID: settings.clientID, nonce: nonce, now: now()).validate(claims)
    }

    /// The discovery document, fetched when there is none or it is over an hour old.
    private func discovery() async throws(OIDCSignInError) -> OIDCProviderMetadata {
        if let metadata, now().timeIntervalSince(metadata.fetchedAt) < Self.cacheLifetime { return metadata.document }
        let url = settings.issuer + "/.well-known/openid-configuration"
        let document: OIDCProviderMetadata
        do {
            let response = try await transport.get(url)
            guard response.status == 200 else { throw OIDCSignInError.providerUnreachable("discovery answered HTTP \(response.status)") }
            document = try JSONDecoder().decode(OIDCProviderMetadata.self, from: Data(response.body))
        } catch let error as OIDCSignInError {
            throw error
        } catch {
            throw .providerUnreachable("discovery at \(url): \(error)")
        }
        guard document.issuer == settings.issuer else {
            throw .providerUnreachable("the discovery document names the issuer \(document.issuer), not \(settings.issuer)")
        }
        metadata = (document, now())
        return document
    }

    /// The signing keys fetched anew, whatever is cached.
    private func refetchedKeys() async throws(OIDCSignInError) -> (collection: JWTKeyCollection, identifiers: Set<String>) {
        keys = nil
        return try await currentKeys()
    }

    /// The signing keys, fetched from the JWKS when there are none or they are over an hour old.
    private func currentKeys() async throws(OIDCSignInError) -> (collection: JWTKeyCollection, identifiers: Set<String>) {
        if let keys, now().timeIntervalSince(keys.fetchedAt) < Self.cacheLifetime { return (keys.collection, keys.identifiers) }
        let url = try await discovery().jwksURI
        do {
            let response = try await transport.get(url)
            guard response.status == 200 else { throw OIDCSignInError.providerUnreachable("JWKS answered HTTP \(response.status)") }
            let set = try JSONDecoder().decode(JWKS.self, from: Data(response.body))
            let collection = JWTKeyCollection()
            var identifiers: Set<String> = []
            // Only signing keys of the accepted kinds; an encryption key or an unknown kind is skipped, not fatal.
            for key in set.keys where key.keyIdentifier != nil {
                guard (try? await collection.add(jwk: key)) != nil, let kid = key.keyIdentifier?.string else { continue }
                identifiers.insert(kid)
            }
            keys = (collection, identifiers, now())
            return (collection, identifiers)
        } catch let error as OIDCSignInError {
            throw error
        } catch {
            throw .providerUnreachable("JWKS at \(url): \(error)")
        }
    }
}
