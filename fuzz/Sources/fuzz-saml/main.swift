// The SAML response fuzzer: `scripts/fuzz.sh` builds and runs it. Each input is read as a Response document, and as
// the base64 form the ACS receives, by RosterSAML's reader and verifier (libxmlsec1) against a fixed IdP
// certificate, then, when it verifies, by the SP's rules. The seeds in fuzz/corpus/saml were signed for this
// certificate (its key was thrown away), so the fuzzer starts inside verified responses as well as outside.
import Foundation
import FuzzSupport
import RosterSAML

/// The fuzz IdP's certificate, DER.
nonisolated(unsafe) var certificate: [UInt8] = []

/// The SP's rules, for the seeds' ACS, audience and IdP.
let rules = SAMLAssertionRules(
    identityProviderEntityID: "http://idp.fuzz/metadata",
    serviceProviderEntityID: "http://roster.fuzz/auth/saml/metadata",
    assertionConsumerServiceURL: "http://roster.fuzz/auth/saml/acs",
    allowsUnsolicited: true
)

func prepareSAML() {
    certificate = Array(Data(base64Encoded: "MIIDFTCCAf2gAwIBAgIUTYvQN1SbCdm1Ktt+yjJaNhemG/IwDQYJKoZIhvcNAQELBQAwGjEYMBYGA1UEAwwPcm9zdGVyLWZ1enotaWRwMB4XDTI2MTIwNjAzMjQwN1oXDTM2MTIwMzAzMjQwN1owGjEYMBYGA1UEAwwPcm9zdGVyLWZ1enotaWRwMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApTMrpOI+3LARH5+FZE2Kp3XROy/zAnVmwkwxcOd5563yD9rbOUfzw/fOwNetAmSmG/PwCs1/aniEhZjrl5F3Oo30csiAEeh8hIIaY6wGJeLJ42i2PsDDtr5RXhJI/vceom4Lg2Rktgyq/gmS3MvNZR2Zn+Pyy6tWe/ygWVrs5Q2GKfRK0lvSRHohHM/YmsQI+0fXQC8oDqM0B8c9dyaXQzzqo8KK6XHpLHSwOKyBArKDXWSUQbinfBeAVOwhtg/f392GzXiHm+NxQ8hPXmC1SVBJX0w5W+4Taw9nO2Vs2et9L3+iIDHZokz+nyIH0UeZqlre8dUv2TfA1FWgdwodwwIDAQABo1MwUTAdBgNVHQ4EFgQUxDSmFfNV39ife1CuAhZpY/o6vLMwHwYDVR0jBBgwFoAUxDSmFfNV39ife1CuAhZpY/o6vLMwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAkd0ZsFanWqJ57zvR+5xEfNeA0OCxTIwy1ADNyTKEK2d66hSwciOEgymKa50I5CYALOR2ScErkWuaZ6LCyHQHVVZhuEMHNU0B8LgzCH+PkH3T/b6RCXiEWvNQcL9+b5sH3PdaaRy7xJNQQhT70KBPmPnVzTPGSJoTNyFHUjsRxKOo9cJYvcvpcvnXvutraWlAoniVIHii8sdvg7DmPFBxKP9Q/VfAziYMdnWShd6u2/c1n0wADk/bcYnGBNxqA6wSKOo3m5Sp269FgyVGmNTb4m1HQc+OxSZkCii/rhjg63Za8UxTaKX5J5v7CAKPxlBVQqtzIjDnmtFXabEbGMfzIQ==") ?? Data())
    try? XMLSecLibrary.ready()
}

func fuzzSAMLTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(LibFuzzer.input(data, size))
    if let response = try? SAMLResponse(xml: bytes, certificates: [certificate]) {
        _ = try? rules.check(response, now: 1_790_000_000_000, pendingRequestID: "_req1")
        _ = try? rules.check(response, now: 1_790_000_000_000, pendingRequestID: nil)
    }
    _ = try? SAMLResponse(base64: String(decoding: bytes, as: UTF8.self), certificates: [certificate])
    _ = try? SAMLIdentityProvider(metadata: bytes)
    return 0
}

LibFuzzer.run(prepare: { prepareSAML() }, fuzzSAMLTestOneInput)
