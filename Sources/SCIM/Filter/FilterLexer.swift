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

/// Splits a filter into tokens with their character offsets.
struct FilterLexer {
    /// Tokenizes `text`; throws `invalidFilter` for an unterminated or malformed string literal.
    static func tokenize(_ text: String) throws(SCIMError) -> [(token: FilterToken, offset: Int)] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [(token: FilterToken, offset: Int)] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case " ", "\t", "\n", "\r":
                index += 1
            case "(":
                tokens.append((.openParen, index))
                index += 1
            case ")":
                tokens.append((.closeParen, index))
                index += 1
            case "[":
                tokens.append((.openBracket, index))
                index += 1
            case "]":
                tokens.append((.closeBracket, index))
                index += 1
            case "\"":
                let start = index
                index += 1
                var literal = String.UnicodeScalarView()
                literal.append("\"")
                var closed = false
                while index < scalars.count {
                    let current = scalars[index]
                    literal.append(current)
                    index += 1
                    if current == "\\", index < scalars.count {
                        literal.append(scalars[index])
                        index += 1
                    } else if current == "\"" {
                        closed = true
                        break
                    }
                }
                guard closed else { throw .invalidFilter("unterminated string starting at position \(start + 1)") }
                guard let string = try? JSONParser().parse(String(literal)).stringValue else {
                    throw .invalidFilter("invalid string literal at position \(start + 1)")
                }
                tokens.append((.quoted(string), start))
            default:
                let start = index
                var word = String.UnicodeScalarView()
                while index < scalars.count {
                    let current = scalars[index]
                    if current == " " || current == "\t" || current == "\n" || current == "\r" || current == "(" || current == ")"
                        || current == "[" || current == "]" || current == "\""
                    {
                        break
                    }
                    word.append(current)
                    index += 1
                }
                tokens.append((.word(String(word)), start))
            }
        }
        return tokens
    }
}
