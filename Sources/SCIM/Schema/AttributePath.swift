/// An attribute path as written in a filter, a PATCH `path`, or `attributes=`: an optional schema URN, an attribute
/// name and an optional sub-attribute name (RFC 7644 §3.10). A bare extension URN is a path whose attribute is the
/// URN itself, naming the whole extension object.
public struct AttributePath: Sendable, Hashable, CustomStringConvertible {
    /// The schema URN the path was qualified with, canonical when it is a known schema.
    public var schemaURN: String?
    /// The attribute name as written, or an extension URN.
    public var attribute: String
    /// The sub-attribute name as written.
    public var subAttribute: String?

    /// Makes a path from its parts.
    public init(schemaURN: String? = nil, attribute: String, subAttribute: String? = nil) {
        self.schemaURN = schemaURN
        self.attribute = attribute
        self.subAttribute = subAttribute
    }

    /// The schema URNs a path may be qualified with; longest first so that a prefix never shadows a longer URN.
    static let knownSchemaURNs: [String] =
        ([SCIMSchemaURN.user, SCIMSchemaURN.group, SCIMSchemaURN.enterpriseUser] + SCIMSchemaURN.legacyAliases.keys)
        .sorted { $0.count > $1.count }

    /// Parses `text`; URNs are split at the known schema URN or, for an unknown URN, at its last colon, never at
    /// the dot in "2.0". Returns nil when the text is not a valid path.
    public init?(parsing text: String) {
        guard !text.isEmpty else { return nil }
        if text.utf8.count > 4, text.prefix(4).lowercased() == "urn:" {
            if let known = AttributePath.knownSchemaURNs.first(where: { $0.caseInsensitiveEquals(text) }) {
                self.init(attribute: AttributePath.canonicalURN(known))
                return
            }
            let urn: String
            let rest: Substring
            if let known = AttributePath.knownSchemaURNs.first(where: {
                text.count > $0.count + 1 && text.prefix($0.count + 1).lowercased() == ($0 + ":").lowercased()
            }) {
                urn = AttributePath.canonicalURN(known)
                rest = text.dropFirst(known.count + 1)
            } else {
                guard let colon = text.lastIndex(of: ":") else { return nil }
                let remainder = text[text.index(after: colon)...]
                // An unknown URN with no attribute part after it ("urn:x:y:Ext") names a whole extension object.
                if remainder.isEmpty { return nil }
                if !remainder.contains(".") && remainder.first?.isUppercase == true {
                    self.init(attribute: text)
                    return
                }
                urn = String(text[..<colon])
                rest = remainder
            }
            guard let parts = AttributePath.splitNames(rest) else { return nil }
            self.init(schemaURN: urn, attribute: parts.0, subAttribute: parts.1)
            return
        }
        guard let parts = AttributePath.splitNames(Substring(text)) else { return nil }
        self.init(attribute: parts.0, subAttribute: parts.1)
    }

    /// The current URN for a known or legacy one.
    static func canonicalURN(_ urn: String) -> String {
        SCIMSchemaURN.legacyAliases[urn.lowercased()] ?? urn
    }

    /// Splits `name.sub`, checking the ATTRNAME grammar loosely (letters, digits, `$`, `_`, `-`).
    private static func splitNames(_ text: Substring) -> (String, String?)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ isAttributeName($0) }) else { return nil }
        return (String(parts[0]), parts.count == 2 ? String(parts[1]) : nil)
    }

    /// Whether `name` is a valid attribute name.
    static func isAttributeName(_ name: Substring) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || (scalar.value >= 0x80 && scalar.properties.isAlphabetic)
        }
        guard let first = name.unicodeScalars.first, isLetter(first) || first == "$" || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "$" }
    }

    /// Whether the path names a whole extension object.
    public var isExtensionReference: Bool { schemaURN == nil && attribute.lowercased().hasPrefix("urn:") }

    /// The path as text.
    public var description: String {
        var text = schemaURN.map { $0 + ":" } ?? ""
        text += attribute
        if let subAttribute { text += "." + subAttribute }
        return text
    }
}
