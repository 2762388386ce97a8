/// A schema: a URN identifying a set of attribute definitions (RFC 7643 §7).
public struct SchemaDefinition: Sendable, Hashable {
    /// The schema URN.
    public var id: String
    /// A human-readable name.
    public var name: String
    /// A description for `/Schemas`.
    public var description: String
    /// The attributes, in the order they are emitted.
    public let attributes: [AttributeDefinition]
    /// The attributes' positions by lowercased name, for case-insensitive lookup without scanning.
    private let attributeIndex: [String: Int]

    /// Makes a schema.
    public init(id: String, name: String, description: String, attributes: [AttributeDefinition]) {
        self.id = id
        self.name = name
        self.description = description
        self.attributes = attributes
        self.attributeIndex = SchemaDefinition.index(attributes)
    }

    /// Positions of definitions by lowercased name; the first of a repeated name wins.
    static func index(_ definitions: [AttributeDefinition]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, definition) in definitions.enumerated() where index[definition.name.lowercased()] == nil {
            index[definition.name.lowercased()] = position
        }
        return index
    }

    /// The attribute named `name`, ignoring case.
    public func attribute(named name: String) -> AttributeDefinition? {
        guard let index = attributeIndex[name.lowercased()] else { return nil }
        return attributes[index]
    }
}
