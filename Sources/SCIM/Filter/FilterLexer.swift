/// One token of a filter expression.
enum FilterToken: Equatable {
    case openParen
    case closeParen
    case openBracket
    case closeBracket
    /// A quoted string literal, unescaped.
    case quoted(String)
    /// Any other run of characters: an attribute path, an operator, a keyword or an unquoted value.
    case word(String)
}

/// Splits a filter into tokens with their byte offsets, working on UTF-8 so a token costs one string slice.
struct FilterLexer {
    /// Tokenizes `text`; throws `invalidFilter` for an unterminated or malformed string literal.
    static func tokenize(_ text: String) throws(SCIMError) -> [(token: FilterToken, offset: Int)] {
        var text = text
        let result = text.withUTF8 { bytes in Result { () throws(SCIMError) in try tokenize(bytes) } }
        return try result.get()
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\""):
            true
        default:
            false
        }
    }

    private static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) throws(SCIMError) -> [(token: FilterToken, offset: Int)] {
        var tokens: [(token: FilterToken, offset: Int)] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "("):
                tokens.append((.openParen, index))
                index += 1
            case UInt8(ascii: ")"):
                tokens.append((.closeParen, index))
                index += 1
            case UInt8(ascii: "["):
                tokens.append((.openBracket, index))
                index += 1
            case UInt8(ascii: "]"):
                tokens.append((.closeBracket, index))
                index += 1
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                var escaped = false
                var closed = false
                while index < bytes.count {
                    let current = bytes[index]
                    index += 1
                    if current == UInt8(ascii: "\\") {
                        escaped = true
                        index += 1
                    } else if current == UInt8(ascii: "\"") {
                        closed = true
                        break
                    }
                }
                guard closed, index <= bytes.count else { throw .invalidFilter("unterminated string starting at position \(start + 1)") }
                let literal = UnsafeBufferPointer(rebasing: bytes[start..<index])
                let string: String?
                if escaped {
                    string = try? JSONParser().parse(literal).stringValue
                } else {
                    string = String(validating: UnsafeBufferPointer(rebasing: literal.dropFirst().dropLast()), as: UTF8.self)
                }
                guard let string else { throw .invalidFilter("invalid string literal at position \(start + 1)") }
                tokens.append((.quoted(string), start))
            default:
                let start = index
                while index < bytes.count, !isDelimiter(bytes[index]) { index += 1 }
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                tokens.append((.word(word), start))
            }
        }
        return tokens
    }
}
