import Foundation
import JWTKit
import RosterTestSupport
import Testing

@testable import RosterServer

/// The provider side of sign-in: discovery, the authorization URL, the code exchange, and ID token signatures against
/// the JWKS (ES256 here; RS256 against a real provider in scripts/oidc.sh), with a key rotation.
@Suite("OIDC provider")
struct OIDCProviderTests {
    let fake = FakeOIDCProvider()
    let redirectURI = "https://roster.example.com/auth/oidc/callback"

    var provider: OIDCProvider {
        OIDCProvider(settings: fake.settings, redirectURI: redirectURI, transport: fake)
    }

    /// Signs in as `email` up to the ID token: the authorization URL, the provider's approval, the code exchange.
    func idToken(_ provider: OIDCProvider, email: String = "admin@example.com", nonce: String = "n-1") async throws -> String {
        let verifier = PKCE.makeVerifier()
        let url = try await provider.authorizationURL(state: "s-1", nonce: nonce, codeChallenge: PKCE.challenge(for: verifier))
        let callback = try fake.approve(url, as: email)
        return try await provider.redeem(code: try #require(callback["code"]), verifier: verifier)
    }

    func rejection(_ provider: OIDCProvider, token: String, nonce: String = "n-1") async -> OIDCSignInError? {
        do {
            _ = try await provider.verify(idToken: token, nonce: nonce)
            return nil
        } catch {
            return error
        }
    }

    @Test func theAuthorizationURLAsksForTheCodeFlowWithPKCEStateAndNonce() async throws {
        let url = try await provider.authorizationURL(state: "st+/=", nonce: "no", codeChallenge: "ch")
        #expect(url.hasPrefix(fake.issuer + "/oauth2/v1/authorize?"))
        let query = try FakeOIDCProvider.queryItems(url)
        #expect(query["response_type"] == "code")
        #expect(query["client_id"] == fake.clientID)
        #expect(query["redirect_uri"] == redirectURI)
        #expect(query["scope"]?.split(separator: " ").contains("openid") == true)
        #expect(query["scope"]?.split(separator: " ").contains("email") == true)
        #expect(query["state"] == "st+/=")
        #expect(query["nonce"] == "no")
        #expect(query["code_challenge"] == "ch")
        #expect(query["code_challenge_method"] == "S256")
    }

    @Test func theCodeIsRedeemedWithTheVerifierAndBasicClientCredentials() async throws {
        let provider = provider
        let token = try await idToken(provider)
        #expect(try await provider.verify(idToken: token, nonce: "n-1") == "admin@example.com")
        let request = try #require(fake.tokenRequests.last)
        #expect(request.form["grant_type"] == "authorization_code")
        #expect(request.form["redirect_uri"] == redirectURI)
        #expect(request.form["client_secret"] == nil, "the secret goes in the Authorization header, not the body")
        let basic = Data("\(fake.clientID):\(fake.clientSecret)".utf8).base64EncodedString()
        #expect(request.headers["Authorization"] == "Basic \(basic)")
    }

    @Test func aCodeWorksOnceAndOnlyWithItsVerifier() async throws {
        let provider = provider
        let verifier = PKCE.makeVerifier()
        let url = try await provider.authorizationURL(state: "s", nonce: "n", codeChallenge: PKCE.challenge(for: verifier))
        let code = try #require(try fake.approve(url, as: "admin@example.com")["code"])
        await #expect(throws: OIDCSignInError.codeRefused(status: 400, error: "invalid_grant")) {
            _ = try await provider.redeem(code: code, verifier: PKCE.makeVerifier())
        }
        let second = try #require(try fake.approve(url, as: "admin@example.com")["code"])
        _ = try await provider.redeem(code: second, verifier: verifier)
        await #expect(throws: OIDCSignInError.codeRefused(status: 400, error: "invalid_grant")) {
            _ = try await provider.redeem(code: second, verifier: verifier)
        }
    }

    @Test func aTamperedTokenIsRejected() async throws {
        let provider = provider
        let token = try await idToken(provider)
        let parts = token.split(separator: ".").map(String.init)
        // The same header and signature over claims that name another email.
        let forged = try await fake.signedToken(nonce: "n-1", email: "intruder@example.com")
        let forgedPayload = forged.split(separator: ".").map(String.init)[1]
        let tampered = [parts[0], forgedPayload, parts[2]].joined(separator: ".")
        let error = await rejection(provider, token: tampered)
        guard case .invalidIDToken(let detail) = error else {
            Issue.record("expected a rejected signature, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("signature"))
        #expect(await rejection(provider, token: token) == nil, "the untampered token still passes")
    }

    @Test func unsignedAndSymmetricTokensAreRejectedBeforeAnyKeyIsTried() async throws {
        let provider = provider
        let token = try await idToken(provider)
        let payload = token.split(separator: ".")[1]
        for header in [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"HS256","typ":"JWT","kid":"key-1"}"#] {
            let encoded = Data(header.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            let error = await rejection(provider, token: "\(encoded).\(payload).")
            guard case .invalidIDToken(let detail) = error else {
                Issue.record("expected a rejection for \(header), got \(String(describing: error))")
                continue
            }
            #expect(detail.contains("is not RS256 or ES256") || detail.hasPrefix("malformed"), "\(detail)")
        }
    }

    @Test func aRotatedKeyIsFetchedOnceAndThenUsed() async throws {
        let provider = provider
        _ = try await provider.verify(idToken: try await idToken(provider), nonce: "n-1")
        #expect(fake.jwksFetches == 1)
        _ = try await provider.verify(idToken: try await idToken(provider), nonce: "n-1")
        #expect(fake.jwksFetches == 1, "keys are cached")
        fake.rotateKeys()
        #expect(try await provider.verify(idToken: try await idToken(provider), nonce: "n-1") == "admin@example.com")
        #expect(fake.jwksFetches == 2, "an unknown kid fetches the keys again")
    }

    @Test func aRotatedKeyIsFoundForTokensWithoutAKeyIDToo() async throws {
        fake.omitKeyID = true
        let provider = provider
        let token = try await idToken(provider)
        #expect(!String(decoding: Data(base64Encoded: String(token.split(separator: ".")[0]) + "==") ?? Data(), as: UTF8.self).contains("kid"))
        _ = try await provider.verify(idToken: token, nonce: "n-1")
        _ = try await provider.verify(idToken: try await idToken(provider), nonce: "n-1")
        #expect(fake.jwksFetches == 1)
        fake.rotateKeys()
        #expect(try await provider.verify(idToken: try await idToken(provider), nonce: "n-1") == "admin@example.com")
        #expect(fake.jwksFetches == 2, "no cached key verifies: the keys are fetched again, once")
        let stranger = FakeOIDCProvider()
        stranger.omitKeyID = true
        let foreign = try await stranger.signedToken(nonce: "n-1", email: "admin@example.com") {
            $0.iss = fake.issuer
            $0.aud = [fake.clientID]
        }
        let error = await rejection(provider, token: foreign)
        guard case .invalidIDToken(let detail) = error else {
            Issue.record("a token signed by a key the provider never published: \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("signature"))
        #expect(fake.jwksFetches == 3)
    }

    @Test func aKeyTheJWKSNeverHasFailsAfterExactlyOneRefetch() async throws {
        let provider = provider
        _ = try await provider.verify(idToken: try await idToken(provider), nonce: "n-1")
        let stranger = FakeOIDCProvider()
        stranger.rotateKeys()
        stranger.rotateKeys()  // kid "key-3", which `fake` never publishes
        let token = try await stranger.signedToken(nonce: "n-1", email: "admin@example.com") {
            $0.iss = fake.issuer
            $0.aud = [fake.clientID]
        }
        #expect(await rejection(provider, token: token) == .invalidIDToken("no key key-3 in the provider's JWKS"))
        #expect(fake.jwksFetches == 2)
    }

    @Test func aProviderThatIsDownOrNamesAnotherIssuerIsUnreachable() async throws {
        for reason in ["names another issuer", "down"] {
            if reason == "down" {
                fake.advertisedIssuer = nil
                fake.reachable = false
            } else {
                fake.advertisedIssuer = "https://impostor.example.com"
            }
            do {
                _ = try await provider.authorizationURL(state: "s", nonce: "n", codeChallenge: "c")
                Issue.record("a provider that is \(reason) gave an authorization URL")
            } catch {
                guard case .providerUnreachable = error else {
                    Issue.record("a provider that is \(reason): \(error)")
                    continue
                }
            }
        }
    }
}
