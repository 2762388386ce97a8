/// An attribute path resolved against a resource's schemas: where its value lives in a resource document and what
/// its definition says. Unknown attributes resolve too, as schemaless strings, so custom attributes stay usable.
public struct ResolvedAttribute: Sendable, Hashable {
    /// The extension URN key holding the attribute in the document, or nil for core and common attributes.
    public var container: String?
    /// The attribute's key in its container (canonical spelling when known).
    public var name: String
    /// The attribute's definition (synthesized for unknown attributes and whole extensions).
    public var definition: AttributeDefinition
    /// The sub-attribute's key, when the path names one.
    public var subName: String?
    /// The sub-attribute's definition, when the path names one.
    public var subDefinition: AttributeDefinition?
    /// Whether the attribute is defined by one of the resource's schemas (or is a common attribute).
    public var isKnown: Bool

    /// The definition of the innermost attribute the path names.
    public var leafDefinition: AttributeDefinition { subDefinition ?? definition }

    /// Reads the attribute's value from a resource document.
    public func attributeValue(in document: JSONObject) -> JSONValue? {
        guard let container else { return document.value(forName: name) }
        return document.value(forName: container)?.objectValue?.value(forName: name)
    }

    /// The values the path selects in `document`, flattened: every element of a multi-valued attribute, and for a
    /// sub-attribute path the sub-attribute of each element. Nulls are skipped.
    public func values(in document: JSONObject) -> [JSONValue] {
        guard let value = attributeValue(in: document), !value.isNull else { return [] }
        let elements: [JSONValue] = value.arrayValue ?? [value]
        guard let subName else { return elements.filter { !$0.isNull } }
        return elements.compactMap { element in
            guard let sub = element.objectValue?.value(forName: subName), !sub.isNull else { return nil }
            return sub
        }
    }
}
