/// `%XX` decoding of URL parts (RFC 3986 §2.1), shared by the database URL and the HTTP query string.
public enum PercentDecoding {
    /// How to treat what is not a well-formed escape.
    public enum Mode: Sendable {
        /// A malformed escape or bytes that are not UTF-8 make the whole value invalid (nil).
        case strict
        /// A malformed escape stays as written and invalid UTF-8 becomes U+FFFD; `+` is a space when
        /// `plusAsSpace` (form encoding, as in query strings).
        case lenient(plusAsSpace: Bool)
    }

    /// Decodes `bytes`; nil only in strict mode.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, mode: Mode) -> String? {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%") {
                if index + 2 < input.count, let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                if case .strict = mode { return nil }
            } else if byte == UInt8(ascii: "+"), case .lenient(plusAsSpace: true) = mode {
                output.append(UInt8(ascii: " "))
                index += 1
                continue
            }
            output.append(byte)
            index += 1
        }
        if case .strict = mode { return String(validating: output, as: UTF8.self) }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
