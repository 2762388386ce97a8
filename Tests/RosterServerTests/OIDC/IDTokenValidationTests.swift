import Foundation
import JWTKit
import RosterTestSupport
import Testing

@testable import RosterServer

/// The claim checks of OpenID Connect Core §3.1.3.7 on a token whose signature held: issuer, audience and authorized
/// party, expiry and issue time with 60 seconds of clock skew, nonce, and the email.
@Suite("ID token claims")
struct IDTokenValidationTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func claims(_ edit: (inout IDTokenClaims) -> Void = { _ in }) -> IDTokenClaims {
        var claims = IDTokenClaims(
            issuer: "https://idp.example.com",
            subject: "00u1",
            audience: "client",
            authorizedParty: nil,
            expiration: ExpirationClaim(value: now.addingTimeInterval(300)),
            issuedAt: IssuedAtClaim(value: now),
            notBefore: nil,
            nonce: "n-123",
            email: "Admin@Example.com",
            emailVerified: nil
        )
        edit(&claims)
        return claims
    }

    var validation: IDTokenValidation {
        IDTokenValidation(issuer: "https://idp.example.com", clientID: "client", nonce: "n-123", now: now)
    }

    func rejection(_ claims: IDTokenClaims) -> OIDCSignInError? {
        do {
            _ = try validation.validate(claims)
            return nil
        } catch {
            return error
        }
    }

    @Test func validClaimsGiveTheEmail() throws {
        #expect(try validation.validate(claims()) == "Admin@Example.com")
        #expect(try validation.validate(claims { $0.emailVerified = BoolClaim(value: true) }) == "Admin@Example.com")
        #expect(
            try validation.validate(
                claims {
                    $0.audience = AudienceClaim(value: ["client", "other"])
                    $0.authorizedParty = "client"
                }
            ) == "Admin@Example.com"
        )
    }

    @Test func aTokenForAnotherIssuerOrClientIsRejected() {
        #expect(rejection(claims { $0.issuer = "https://evil.example.com" }) == .invalidIDToken("iss is not the configured issuer"))
        #expect(rejection(claims { $0.issuer = "https://idp.example.com/" }) == .invalidIDToken("iss is not the configured issuer"))
        #expect(rejection(claims { $0.audience = "other" }) == .invalidIDToken("aud does not include the client ID"))
        #expect(rejection(claims { $0.audience = AudienceClaim(value: ["client", "other"]) }) == .invalidIDToken("azp is not the client ID"))
        #expect(rejection(claims { $0.authorizedParty = "other" }) == .invalidIDToken("azp is not the client ID"))
    }

    @Test func expiryAndIssueTimeAllowOneMinuteOfSkewAndNoMore() {
        #expect(rejection(claims { $0.expiration = ExpirationClaim(value: now.addingTimeInterval(-30)) }) == nil)
        #expect(rejection(claims { $0.expiration = ExpirationClaim(value: now.addingTimeInterval(-61)) }) == .invalidIDToken("expired"))
        #expect(rejection(claims { $0.issuedAt = IssuedAtClaim(value: now.addingTimeInterval(59)) }) == nil)
        #expect(rejection(claims { $0.issuedAt = IssuedAtClaim(value: now.addingTimeInterval(120)) }) == .invalidIDToken("issued in the future"))
        #expect(rejection(claims { $0.notBefore = NotBeforeClaim(value: now.addingTimeInterval(120)) }) == .invalidIDToken("not valid yet (nbf)"))
    }

    @Test func theNonceMustBeThisSignInsOwn() {
        #expect(rejection(claims { $0.nonce = nil }) == .invalidIDToken("nonce does not match"))
        #expect(rejection(claims { $0.nonce = "n-124" }) == .invalidIDToken("nonce does not match"))
        #expect(rejection(claims { $0.nonce = "n-1234" }) == .invalidIDToken("nonce does not match"))
    }

    @Test func anUnverifiedOrMissingEmailIsRefused() {
        #expect(rejection(claims { $0.email = nil }) == .noEmail)
        #expect(rejection(claims { $0.email = "  " }) == .noEmail)
        #expect(rejection(claims { $0.emailVerified = BoolClaim(value: false) }) == .emailNotVerified("Admin@Example.com"))
    }

    @Test func emailVerifiedMayBeAStringAsSomeProvidersSendIt() throws {
        let decoded = try JSONDecoder().decode(BoolClaim.self, from: Data(#""false""#.utf8))
        #expect(rejection(claims { $0.emailVerified = decoded }) == .emailNotVerified("Admin@Example.com"))
    }
}
