import Foundation
import JWTKit
import RosterCore
import RosterTestSupport
import Testing

@testable import RosterServer

/// The claims a test ID token carries, each optional so that a test can leave any out or give it an odd shape.
struct TestIDToken: JWTPayload {
    var iss: String?
    var sub: String? = "00u1"
    var aud: [String]?
    var azp: String?
    var exp: Int?
    var iat: Int?
    var nbf: Int?
    var nonce: String?
    var email: String?
    var email_verified: Bool?

    /// Nothing: the tests decide what is valid.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// An OpenID provider in memory, as an ``OIDCTransport``: discovery, a JWKS of ES256 keys that can rotate, an
/// authorization step that "approves" a sign-in, and a token endpoint that redeems each code once (checking PKCE)
/// and signs an ID token with the current key.
final class FakeOIDCProvider: OIDCTransport, @unchecked Sendable {
    /// The issuer.
    let issuer = "https://idp.example.com"
    /// The client ID Roster is configured with.
    let clientID = "roster-client"
    /// The client secret.
    let clientSecret = "s3cr3t-value"

    private let lock = NSLock()
    private var keys: [(kid: String, key: ES256PrivateKey)] = []
    private var codes: [String: (nonce: String, challenge: String, email: String)] = [:]
    private var counter = 0
    /// How many times the JWKS was fetched.
    private(set) var jwksFetches = 0
    /// The form and headers of each token request.
    private(set) var tokenRequests: [(form: [String: String], headers: [String: String])] = []
    /// Changes the claims of the next ID tokens.
    var editClaims: @Sendable (inout TestIDToken) -> Void = { _ in }
    /// Changes a signed ID token before it is returned (to tamper with it).
    var editToken: @Sendable (String) -> String = { $0 }
    /// Whether the provider answers at all.
    var reachable = true
    /// Whether ID tokens leave `kid` out of their header (some providers do, although their JWKS has one).
    var omitKeyID = false
    /// The issuer its discovery document names (a misconfigured or impostor provider names another).
    var advertisedIssuer: String?

    /// A provider with one signing key.
    init() {
        rotateKeys()
    }

    /// The settings Roster uses for this provider.
    var settings: OIDCSettings {
        OIDCSettings(issuer: issuer, clientID: clientID, clientSecret: clientSecret, providerName: "Okta")
    }

    /// Replaces the signing key with a new one under a new `kid`.
    func rotateKeys() {
        lock.withLock {
            counter += 1
            keys = [("key-\(counter)", ES256PrivateKey())]
        }
    }

    /// What the provider does when the user signs in as `email` at `authorizationURL`: returns the callback's query
    /// items (`code`, `state`).
    func approve(_ authorizationURL: String, as email: String) throws -> [String: String] {
        let query = try Self.queryItems(authorizationURL)
        return lock.withLock {
            counter += 1
            let code = "code-\(counter)"
            codes[code] = (query["nonce"] ?? "", query["code_challenge"] ?? "", email)
            return ["code": code, "state": query["state"] ?? ""]
        }
    }

    /// The query items of a URL.
    static func queryItems(_ url: String) throws -> [String: String] {
        let components = try #require(URLComponents(string: url))
        return Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
    }

    /// An ID token signed with the current key, with valid claims for `nonce` and `email` unless `edit` changes them.
    func signedToken(nonce: String, email: String, edit: (inout TestIDToken) -> Void = { _ in }) async throws -> String {
        let now = Int(Date().timeIntervalSince1970)
        var claims = TestIDToken(iss: issuer, aud: [clientID], exp: now + 300, iat: now, nonce: nonce, email: email)
        edit(&claims)
        editClaims(&claims)
        let (kid, key) = lock.withLock { keys[0] }
        let collection = JWTKeyCollection()
        if omitKeyID {
            await collection.add(ecdsa: key)
            return try await collection.sign(claims)
        }
        await collection.add(ecdsa: key, kid: JWKIdentifier(string: kid))
        return try await collection.sign(claims, kid: JWKIdentifier(string: kid))
    }

    // MARK: OIDCTransport

    func get(_ url: String) async throws -> OIDCHTTPResponse {
        guard reachable else { throw URLError(.cannotConnectToHost) }
        switch url {
        case issuer + "/.well-known/openid-configuration":
            let document: [String: Any] = [
                "issuer": advertisedIssuer ?? issuer,
                "authorization_endpoint": issuer + "/oauth2/v1/authorize",
                "token_endpoint": issuer + "/oauth2/v1/token",
                "jwks_uri": issuer + "/oauth2/v1/keys",
            ]
            return OIDCHTTPResponse(status: 200, body: Array(try JSONSerialization.data(withJSONObject: document)))
        case issuer + "/oauth2/v1/keys":
            let published = lock.withLock {
                jwksFetches += 1
                return keys
            }
            var jwks: [[String: String]] = []
            for (kid, key) in published {
                let parameters = try #require(key.publicKey.parameters)
                jwks.append(["kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid, "x": parameters.x, "y": parameters.y])
            }
            return OIDCHTTPResponse(status: 200, body: Array(try JSONSerialization.data(withJSONObject: ["keys": jwks])))
        default:
            return OIDCHTTPResponse(status: 404, body: [])
        }
    }

    func postForm(_ url: String, form: [(String, String)], headers: [(String, String)]) async throws -> OIDCHTTPResponse {
        guard reachable else { throw URLError(.cannotConnectToHost) }
        guard url == issuer + "/oauth2/v1/token" else { return OIDCHTTPResponse(status: 404, body: []) }
        let fields = Dictionary(form, uniquingKeysWith: { $1 })
        let pending: (nonce: String, challenge: String, email: String)? = lock.withLock {
            tokenRequests.append((fields, Dictionary(headers, uniquingKeysWith: { $1 })))
            return codes.removeValue(forKey: fields["code"] ?? "")
        }
        guard let pending, fields["grant_type"] == "authorization_code",
            PKCE.challenge(for: fields["code_verifier"] ?? "") == pending.challenge
        else {
            return OIDCHTTPResponse(status: 400, body: Array(#"{"error":"invalid_grant"}"#.utf8))
        }
        let token = editToken(try await signedToken(nonce: pending.nonce, email: pending.email))
        let body = try JSONSerialization.data(withJSONObject: ["access_token": "at", "token_type": "Bearer", "id_token": token])
        return OIDCHTTPResponse(status: 200, body: Array(body))
    }
}
