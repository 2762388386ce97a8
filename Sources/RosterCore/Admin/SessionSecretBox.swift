import Crypto
import Foundation

/// Seals values with a key derived from an admin's session token, which only the admin's browser holds (the
/// database keeps the token's hash). A secret shown once (a new SCIM token, API key or webhook secret) waits for
/// the next page in the database sealed this way, so the database alone never holds a usable secret.
public struct SessionSecretBox: Sendable {
    private let key: SymmetricKey

    /// The box of the session whose cookie holds `sessionToken`.
    public init(sessionToken: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(sessionToken.utf8)),
            info: Array("roster flash v1".utf8),
            outputByteCount: 32
        )
    }

    /// `text`, encrypted and authenticated (ChaCha20-Poly1305 with a random nonce).
    public func seal(_ text: String) throws -> [UInt8] {
        Array(try ChaChaPoly.seal(Array(text.utf8), using: key).combined)
    }

    /// The text of `sealed`; nil when another session's key sealed it or it was altered.
    public func open(_ sealed: [UInt8]) -> String? {
        guard let box = try? ChaChaPoly.SealedBox(combined: sealed), let plain = try? ChaChaPoly.open(box, using: key) else {
            return nil
        }
        return String(bytes: plain, encoding: .utf8)
    }
}
