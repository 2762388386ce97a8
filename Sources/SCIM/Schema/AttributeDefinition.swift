/// The data type of an attribute (RFC 7643 §2.3).
public enum AttributeType: String, Sendable, Hashable {
    /// A sequence of characters.
    case string
    /// `true` or `false`.
    case boolean
    /// A real number.
    case decimal
    /// A whole number.
    case integer
    /// An xsd:dateTime.
    case dateTime
    /// A base64-encoded binary value.
    case binary
    /// A URI for a resource.
    case reference
    /// A set of sub-attributes.
    case complex
}

/// Whether and how an attribute may be changed (RFC 7643 §7).
public enum Mutability: String, Sendable, Hashable {
    /// Set by the service provider only.
    case readOnly
    /// May be updated and read.
    case readWrite
    /// May be set once, then never changed.
    case immutable
    /// May be written, never returned.
    case writeOnly
}

/// When an attribute is returned (RFC 7643 §7).
public enum Returned: String, Sendable, Hashable {
    /// Always returned, whatever `attributes` or `excludedAttributes` say.
    case always
    /// Never returned.
    case never
    /// Returned unless excluded.
    case `default`
    /// Returned only when asked for in `attributes`.
    case request
}

/// How unique an attribute's value is (RFC 7643 §7).
public enum Uniqueness: String, Sendable, Hashable {
    /// No uniqueness.
    case none
    /// Unique within the service provider (here: within one directory).
    case server
    /// Globally unique.
    case global
}

/// One attribute of a schema, with every characteristic RFC 7643 §7 defines; it drives validation, filtering, PATCH,
/// projection and the `/Schemas` document.
public struct AttributeDefinition: Sendable, Hashable {
    /// The attribute's canonical name.
    public var name: String
    /// The data type.
    public var type: AttributeType
    /// Whether the attribute holds a list of values.
    public var multiValued: Bool
    /// A description for `/Schemas`.
    public var description: String
    /// Whether a value is required.
    public var required: Bool
    /// Whether string comparisons are case-sensitive.
    public var caseExact: Bool
    /// Whether and how the attribute may be changed.
    public var mutability: Mutability
    /// When the attribute is returned.
    public var returned: Returned
    /// How unique the value is.
    public var uniqueness: Uniqueness
    /// Suggested values, such as `work` and `home` for `type`.
    public var canonicalValues: [String]
    /// For references, the resource types they may point at.
    public var referenceTypes: [String]
    /// For complex attributes, the sub-attributes.
    public let subAttributes: [AttributeDefinition]
    /// The sub-attributes' positions by lowercased name, for case-insensitive lookup without scanning.
    private let subAttributeIndex: [String: Int]

    /// Makes a definition; the defaults are those of RFC 7643 §2.2.
    public init(
        _ name: String,
        type: AttributeType = .string,
        multiValued: Bool = false,
        description: String,
        required: Bool = false,
        caseExact: Bool = false,
        mutability: Mutability = .readWrite,
        returned: Returned = .default,
        uniqueness: Uniqueness = .none,
        canonicalValues: [String] = [],
        referenceTypes: [String] = [],
        subAttributes: [AttributeDefinition] = []
    ) {
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.description = description
        self.required = required
        self.caseExact = caseExact
        self.mutability = mutability
        self.returned = returned
        self.uniqueness = uniqueness
        self.canonicalValues = canonicalValues
        self.referenceTypes = referenceTypes
        self.subAttributes = subAttributes
        self.subAttributeIndex = SchemaDefinition.index(subAttributes)
    }

    /// The sub-attribute named `name`, ignoring case.
    public func subAttribute(named name: String) -> AttributeDefinition? {
        guard !subAttributes.isEmpty, let index = subAttributeIndex[name.lowercased()] else { return nil }
        return subAttributes[index]
    }

    /// The definition a comparison on this attribute uses: for a multi-valued complex attribute with a `value`
    /// sub-attribute, that sub-attribute (RFC 7644 §3.4.2.2 compares `emails co "x"` against `emails.value`).
    public var comparisonTarget: AttributeDefinition {
        if type == .complex, let value = subAttribute(named: "value") { return value }
        return self
    }
}
