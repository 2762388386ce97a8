import Crypto

/// The `Roster-Signature` header: `t=UNIX_TIME,v1=HEX(HMAC-SHA256(secret, "{t}.{raw body}"))`, with one `v1` per
/// signing secret while a rotated secret overlaps the new one. A receiver accepts the delivery when any `v1` matches
/// its secret and `t` is recent.
public enum WebhookSignature {
    /// The header value for `body` signed at `timestamp` (seconds since 1970) with each of `secrets`.
    public static func header(secrets: [String], timestamp: Int64, body: [UInt8]) -> String {
        (["t=\(timestamp)"] + secrets.map { "v1=" + signature(secret: $0, timestamp: timestamp, body: body) }).joined(separator: ",")
    }

    /// The hex HMAC-SHA256 of `"{timestamp}.{body}"` under `secret`.
    public static func signature(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return code.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `header` carries a valid signature of `body` under `secret`, made within `tolerance` seconds of `now`.
    public static func verify(header: String, secret: String, body: [UInt8], now: Int64, tolerance: Int64 = 300) -> Bool {
        var timestamp: Int64?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now - timestamp) <= tolerance else { return false }
        let expected = Array(signature(secret: secret, timestamp: timestamp, body: body).utf8)
        return signatures.contains { BearerToken.constantTimeEquals(Array($0.utf8), expected) }
    }

    /// A new signing secret: `whsec_` and 32 random bytes in base64url.
    public static func generateSecret() -> String {
        "whsec_" + BearerToken.generate().token
    }
}
