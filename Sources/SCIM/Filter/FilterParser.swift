/// Parses the filter grammar of RFC 7644 §3.4.2.2, leniently where IdPs are sloppy (unquoted values, as in
/// Microsoft's own test collection) and bounded so that hostile input is a 400 `invalidFilter`, not a stack overflow.
public struct FilterParser: Sendable {
    /// The longest filter accepted, in characters.
    public var maximumLength: Int
    /// The deepest nesting of parentheses, `not` and value paths accepted.
    public var maximumDepth: Int

    /// Makes a parser with the given bounds.
    public init(maximumLength: Int = 8192, maximumDepth: Int = 32) {
        self.maximumLength = maximumLength
        self.maximumDepth = maximumDepth
    }

    /// Parses `text` into a ``Filter``; every failure is `invalidFilter`.
    public func parse(_ text: String) throws(SCIMError) -> Filter {
        guard text.count <= maximumLength else {
            throw .invalidFilter("the filter is longer than \(maximumLength) characters")
        }
        var state = ParserState(tokens: try FilterLexer.tokenize(text), maximumDepth: maximumDepth)
        guard !state.tokens.isEmpty else { throw .invalidFilter("the filter is empty") }
        let filter = try state.parseOr(depth: 0)
        if state.position < state.tokens.count {
            throw .invalidFilter("unexpected \(state.describe(state.tokens[state.position].token)) at position \(state.offset + 1)")
        }
        return filter
    }

    /// Parses a PATCH `path` (RFC 7644 §3.5.2): `attrPath`, `valuePath` or `valuePath.subAttr`.
    public func parsePatchPath(_ text: String) throws(SCIMError) -> PatchPath {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw .invalidPath("the path is empty") }
        guard let bracket = trimmed.firstIndex(of: "[") else {
            guard let path = AttributePath(parsing: trimmed) else { throw .invalidPath("'\(text)' is not a valid attribute path") }
            return PatchPath(attribute: path)
        }
        guard let close = trimmed.lastIndex(of: "]"), close > bracket else { throw .invalidPath("'\(text)' has an unclosed '['") }
        guard let attribute = AttributePath(parsing: String(trimmed[..<bracket])), attribute.subAttribute == nil else {
            throw .invalidPath("'\(text)' is not a valid value path")
        }
        let inner = String(trimmed[trimmed.index(after: bracket)..<close])
        let filter: Filter
        do {
            filter = try parse(inner)
        } catch {
            throw .invalidPath("the filter in '\(text)' is invalid: \(error.detail)")
        }
        var subAttribute: String?
        let rest = trimmed[trimmed.index(after: close)...]
        if !rest.isEmpty {
            guard rest.first == ".", AttributePath.isAttributeName(rest.dropFirst()) else {
                throw .invalidPath("'\(text)' has unexpected text after ']'")
            }
            subAttribute = String(rest.dropFirst())
        }
        return PatchPath(attribute: attribute, filter: filter, subAttribute: subAttribute)
    }
}

/// The mutable state of one parse.
private struct ParserState {
    let tokens: [(token: FilterToken, offset: Int)]
    let maximumDepth: Int
    var position = 0

    init(tokens: [(token: FilterToken, offset: Int)], maximumDepth: Int) {
        self.tokens = tokens
        self.maximumDepth = maximumDepth
    }

    var offset: Int { position < tokens.count ? tokens[position].offset : (tokens.last?.offset ?? 0) }

    func peekKeyword(_ keyword: String) -> Bool {
        guard position < tokens.count, case .word(let word) = tokens[position].token else { return false }
        return word.caseInsensitiveEquals(keyword)
    }

    func describe(_ token: FilterToken) -> String {
        switch token {
        case .openParen: "'('"
        case .closeParen: "')'"
        case .openBracket: "'['"
        case .closeBracket: "']'"
        case .quoted(let string): "\"\(string)\""
        case .word(let word): "'\(word)'"
        }
    }

    func error(_ message: String) -> SCIMError {
        .invalidFilter("\(message) at position \(offset + 1)")
    }

    mutating func expect(_ token: FilterToken) throws(SCIMError) {
        guard position < tokens.count else { throw error("expected \(describe(token)) but the filter ended") }
        guard tokens[position].token == token else { throw error("expected \(describe(token))") }
        position += 1
    }

    mutating func parseOr(depth: Int) throws(SCIMError) -> Filter {
        var left = try parseAnd(depth: depth)
        while peekKeyword("or") {
            position += 1
            left = .or(left, try parseAnd(depth: depth))
        }
        return left
    }

    mutating func parseAnd(depth: Int) throws(SCIMError) -> Filter {
        var left = try parseUnary(depth: depth)
        while peekKeyword("and") {
            position += 1
            left = .and(left, try parseUnary(depth: depth))
        }
        return left
    }

    mutating func parseUnary(depth: Int) throws(SCIMError) -> Filter {
        guard depth < maximumDepth else { throw error("the filter nests deeper than \(maximumDepth) levels") }
        guard position < tokens.count else { throw error("expected an expression but the filter ended") }
        switch tokens[position].token {
        case .openParen:
            position += 1
            let inner = try parseOr(depth: depth + 1)
            try expect(.closeParen)
            return inner
        case .word(let word) where word.caseInsensitiveEquals("not"):
            position += 1
            if position < tokens.count, tokens[position].token == .openParen {
                position += 1
                let inner = try parseOr(depth: depth + 1)
                try expect(.closeParen)
                return .not(inner)
            }
            return .not(try parseUnary(depth: depth + 1))
        case .word(let word):
            position += 1
            guard let path = AttributePath(parsing: word) else { throw error("'\(word)' is not a valid attribute path") }
            if position < tokens.count, tokens[position].token == .openBracket {
                return try parseValuePath(path, depth: depth)
            }
            return try parseComparison(path)
        default:
            throw error("unexpected \(describe(tokens[position].token))")
        }
    }

    mutating func parseValuePath(_ path: AttributePath, depth: Int) throws(SCIMError) -> Filter {
        guard path.subAttribute == nil else { throw error("a value path cannot follow a sub-attribute") }
        position += 1
        let inner = try parseOr(depth: depth + 1)
        try expect(.closeBracket)
        // Entra's form: emails[type eq "work"].value eq "x"
        if position < tokens.count, case .word(let word) = tokens[position].token, word.hasPrefix(".") {
            let name = word.dropFirst()
            guard AttributePath.isAttributeName(name) else { throw error("'\(word)' is not a valid sub-attribute") }
            position += 1
            let condition = try parseComparison(AttributePath(attribute: String(name)))
            return .valuePath(path, .and(inner, condition))
        }
        return .valuePath(path, inner)
    }

    mutating func parseComparison(_ path: AttributePath) throws(SCIMError) -> Filter {
        guard position < tokens.count, case .word(let operatorWord) = tokens[position].token else {
            throw error("expected an operator after '\(path)'")
        }
        position += 1
        if operatorWord.caseInsensitiveEquals("pr") { return .present(path) }
        guard let comparison = ComparisonOperator(rawValue: operatorWord.lowercased()) else {
            throw .invalidFilter("'\(operatorWord)' is not a filter operator (eq ne co sw ew gt ge lt le pr)")
        }
        guard position < tokens.count else { throw error("expected a value after '\(operatorWord)'") }
        let value: FilterValue
        switch tokens[position].token {
        case .quoted(let string):
            value = .string(string)
        case .word(let word):
            value = ParserState.unquotedValue(word)
        default:
            throw error("expected a value after '\(operatorWord)'")
        }
        position += 1
        return .comparison(path, comparison, value)
    }

    /// An unquoted value: a JSON literal or number, or else (leniently) a bare string.
    static func unquotedValue(_ word: String) -> FilterValue {
        switch word.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default:
            if let number = JSONNumber(text: word) { return .number(number) }
            return .string(word)
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
