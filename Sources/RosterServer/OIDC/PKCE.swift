import RosterCore

/// Proof Key for Code Exchange (RFC 7636) with the S256 method: a random verifier kept by Roster, and its SHA-256
/// challenge sent with the authorization request.
enum PKCE {
    /// A new verifier: 32 random bytes in base64url (43 characters).
    static func makeVerifier() -> String { BearerToken.generate().token }

    /// The S256 challenge of `verifier`: base64url(SHA-256(verifier)).
    static func challenge(for verifier: String) -> String {
        Base64URL.encode(BearerToken.hash(verifier))
    }
}
