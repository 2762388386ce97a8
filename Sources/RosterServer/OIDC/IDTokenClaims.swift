import Foundation
import JWTKit
import RosterCore

/// The claims of an OpenID Connect ID token that sign-in reads. Their values are checked by ``validate(_:)``, after
/// the signature; `verify(using:)` checks nothing itself, because the checks need the sign-in's nonce and clock.
struct IDTokenClaims: JWTPayload, Equatable {
    /// Who issued the token.
    var issuer: IssuerClaim
    /// The user at the provider.
    var subject: SubjectClaim
    /// Whom the token is for: must include Roster's client ID.
    var audience: AudienceClaim
    /// The authorized party: when present it must be Roster's client ID.
    var authorizedParty: String?
    /// When the token expires.
    var expiration: ExpirationClaim
    /// When it was issued.
    var issuedAt: IssuedAtClaim
    /// Before when it must not be used, when given.
    var notBefore: NotBeforeClaim?
    /// The nonce of the authorization request.
    var nonce: String?
    /// The user's email.
    var email: String?
    /// Whether the provider verified the email, when it says (a boolean, or "true"/"false").
    var emailVerified: BoolClaim?

    private enum CodingKeys: String, CodingKey {
        case issuer = "iss"
        case subject = "sub"
        case audience = "aud"
        case authorizedParty = "azp"
        case expiration = "exp"
        case issuedAt = "iat"
        case notBefore = "nbf"
        case nonce
        case email
        case emailVerified = "email_verified"
    }

    /// Nothing here: see ``IDTokenValidation``.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The checks of OpenID Connect Core §3.1.3.7 on a token whose signature held.
struct IDTokenValidation: Sendable {
    /// The issuer the token must name.
    var issuer: String
    /// Roster's client ID, which the audience must include.
    var clientID: String
    /// The nonce this sign-in sent.
    var nonce: String
    /// Now.
    var now: Date
    /// How far the provider's clock may be off: 60 seconds.
    var allowedClockSkew: TimeInterval = 60

    /// The verified email, or why the claims fail.
    func validate(_ claims: IDTokenClaims) throws(OIDCSignInError) -> String {
        guard claims.issuer.value == issuer else { throw .invalidIDToken("iss is not the configured issuer") }
        guard claims.audience.value.contains(clientID) else { throw .invalidIDToken("aud does not include the client ID") }
        if claims.audience.value.count > 1 || claims.authorizedParty != nil {
            guard claims.authorizedParty == clientID else { throw .invalidIDToken("azp is not the client ID") }
        }
        guard claims.expiration.value.addingTimeInterval(allowedClockSkew) > now else { throw .invalidIDToken("expired") }
        guard claims.issuedAt.value.addingTimeInterval(-allowedClockSkew) <= now else { throw .invalidIDToken("issued in the future") }
        if let notBefore = claims.notBefore, notBefore.value.addingTimeInterval(-allowedClockSkew) > now {
            throw .invalidIDToken("not valid yet (nbf)")
        }
        guard let tokenNonce = claims.nonce, Self.sameText(tokenNonce, nonce) else { throw .invalidIDToken("nonce does not match") }
        guard let email = claims.email?.trimmed(), !email.isEmpty else { throw .noEmail }
        if let verified = claims.emailVerified, !verified.value { throw .emailNotVerified(email) }
        return email
    }

    /// Compares two strings in time that depends only on their lengths.
    static func sameText(_ lhs: String, _ rhs: String) -> Bool {
        BearerToken.constantTimeEquals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
