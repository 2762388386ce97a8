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
        if text.utf8.count > 4, text.hasPrefixIgnoringCase("urn:") {
            if let known = AttributePath.knownSchemaURNs.first(where: { $0.caseInsensitiveEquals(text) }) {
                self.init(attribute: AttributePath.canonicalURN(known))
                return
            }
            let urn: String
            let rest: Substring
            if let known = AttributePath.knownSchemaURNs.first(where: { text.utf8.count > $0.utf8.count + 1 && text.hasPrefixIgnoringCase($0 + ":") })
            {
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
        // Current URNs start "urn:ietf:"; only the legacy "urn:scim:" ones need a lookup.
        guard !urn.hasPrefix("urn:ietf:") else { return urn }
        return SCIMSchemaURN.legacyAliases[urn.lowercased()] ?? urn
    }

    /// Splits `name.sub`, checking the ATTRNAME grammar loosely (letters, digits, `$`, `_`, `-`).
    private static func splitNames(_ text: Substring) -> (String, String?)? {
        guard let dot = text.utf8.firstIndex(of: UInt8(ascii: ".")) else {
            return isAttributeName(text) ? (String(text), nil) : nil
        }
        let name = text[..<dot]
        let sub = text[text.utf8.index(after: dot)...]
        guard isAttributeName(name), isAttributeName(sub) else { return nil }
        return (String(name), String(sub))
    }

    /// Whether `name` is a valid attribute name: ASCII is checked byte by byte, other letters by their properties.
    static func isAttributeName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first else { return false }
        if first >= 0x80 || name.utf8.contains(where: { $0 >= 0x80 }) {
            return isAttributeNameUnicode(name)
        }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        guard isLetter(first) || first == UInt8(ascii: "$") || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { byte in
            isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "$")
        }
    }

    private static func isAttributeNameUnicode(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "$" || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "$" }
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
