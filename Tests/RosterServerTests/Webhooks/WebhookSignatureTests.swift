import RosterCore
import RosterTestSupport
import Testing

/// `Roster-Signature`: `t=…,v1=HEX(HMAC-SHA256(secret, "t.body"))`.
@Suite struct WebhookSignatureTests {
    let body = Array(#"{"id":"evt_1"}"#.utf8)

    @Test func matchesAnIndependentHMAC() {
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", b"1700000000.{\"id\":\"evt_1\"}", hashlib.sha256).hexdigest())'
        let expected = "c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925"
        #expect(WebhookSignature.signature(secret: "whsec_test", timestamp: 1_700_000_000, body: body) == expected)
        #expect(WebhookSignature.header(secrets: ["whsec_test"], timestamp: 1_700_000_000, body: body) == "t=1700000000,v1=\(expected)")
    }

    @Test func verificationRejectsTamperingOtherSecretsAndOldTimestamps() {
        let header = WebhookSignature.header(secrets: ["whsec_a"], timestamp: 1_000, body: body)
        #expect(WebhookSignature.verify(header: header, secret: "whsec_a", body: body, now: 1_100))
        #expect(!WebhookSignature.verify(header: header, secret: "whsec_b", body: body, now: 1_100))
        #expect(!WebhookSignature.verify(header: header, secret: "whsec_a", body: body + [32], now: 1_100))
        #expect(!WebhookSignature.verify(header: header, secret: "whsec_a", body: body, now: 1_000 + 301), "too old")
    }

    @Test func duringRotationBothSecretsSign() {
        let endpoint = WebhookEndpoint(
            id: "e",
            url: "http://x",
            eventTypes: [],
            enabled: true,
            secret: "whsec_new",
            previousSecret: "whsec_old",
            previousSecretExpiresAt: 5_000_000,
            createdAt: 0
        )
        let during = WebhookSignature.header(secrets: endpoint.signingSecrets(at: 4_999_999), timestamp: 4_999, body: body)
        #expect(WebhookSignature.verify(header: during, secret: "whsec_new", body: body, now: 4_999))
        #expect(WebhookSignature.verify(header: during, secret: "whsec_old", body: body, now: 4_999))
        #expect(endpoint.signingSecrets(at: 5_000_000) == ["whsec_new"], "the overlap ends")
    }
}
