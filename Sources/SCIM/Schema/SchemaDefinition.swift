/// A schema: a URN identifying a set of attribute definitions (RFC 7643 §7).
public struct SchemaDefinition: Sendable, Hashable {
    /// The schema URN.
    public var id: String
    /// A human-readable name.
    public var name: String
    /// A description for `/Schemas`.
    public var description: String
    /// The attributes, in the order they are emitted.
    public var attributes: [AttributeDefinition]

    /// Makes a schema.
    public init(id: String, name: String, description: String, attributes: [AttributeDefinition]) {
        self.id = id
        self.name = name
        self.description = description
        self.attributes = attributes
    }

    /// The attribute named `name`, ignoring case.
    public func attribute(named name: String) -> AttributeDefinition? {
        attributes.first { $0.name.caseInsensitiveEquals(name) }
    }
}
