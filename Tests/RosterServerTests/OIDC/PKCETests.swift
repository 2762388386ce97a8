import RosterTestSupport
import Testing

@testable import RosterServer

/// PKCE's S256 method (RFC 7636 §4.2).
@Suite("PKCE")
struct PKCETests {
    /// The challenges were computed independently, with Python's hashlib and base64.
    @Test(arguments: [
        ("dBjftJeZ4CVP-mpA1zUXN1dEY3XyrhrttYCpsM79PSKzXXeYUOT0u3nLDMbxHXA4fwvbpd-5ZP2Y", "sxJDq12qrwR7WzQ-WIDkfz0jq4H7OvJpn43qU1VnNWo"),
        ("dBjftJeZ4CVP-mpA1zUXN1dEY3XyrhrttYCpsM79PSK", "zhapXdmNxZdYizERbjxowVkyzCho-z9viu670jWXJpI"),
    ])
    func theChallengeIsTheBase64URLOfTheVerifiersSHA256(verifier: String, challenge: String) {
        #expect(PKCE.challenge(for: verifier) == challenge)
    }

    @Test func verifiersAre43UnreservedCharactersAndNeverRepeat() {
        let verifiers = (0..<100).map { _ in PKCE.makeVerifier() }
        #expect(Set(verifiers).count == 100)
        for verifier in verifiers {
            #expect(verifier.count == 43)
            #expect(verifier.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~".contains($0)) })
        }
    }
}
