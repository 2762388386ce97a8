/// A resource type (RFC 7643 §6): its endpoint, core schema and extensions, and how attribute paths resolve in it.
public struct ResourceSchema: Sendable, Hashable {
    /// The resource type's name, as in `meta.resourceType`.
    public var name: String
    /// The endpoint relative to the base URL.
    public var endpoint: String
    /// A description for `/ResourceTypes`.
    public var description: String
    /// The core schema.
    public var core: SchemaDefinition
    /// The schema extensions, none of them required.
    public var extensions: [SchemaDefinition]
    /// Multi-valued attributes kept outside the resource document (group `members`, stored as rows). The PATCH
    /// engine reports changes to them instead of applying them to the document.
    public var detachedAttributes: Set<String>

    /// Makes a resource type.
    public init(
        name: String,
        endpoint: String,
        description: String,
        core: SchemaDefinition,
        extensions: [SchemaDefinition],
        detachedAttributes: Set<String> = []
    ) {
        self.name = name
        self.endpoint = endpoint
        self.description = description
        self.core = core
        self.extensions = extensions
        self.detachedAttributes = detachedAttributes
    }

    /// The User resource type, with the Enterprise User extension.
    public static let user = ResourceSchema(
        name: "User",
        endpoint: "/Users",
        description: "User Account",
        core: CoreSchemas.user,
        extensions: [CoreSchemas.enterpriseUser]
    )

    /// The Group resource type; its members are kept outside the document.
    public static let group = ResourceSchema(
        name: "Group",
        endpoint: "/Groups",
        description: "Group",
        core: CoreSchemas.group,
        extensions: [],
        detachedAttributes: ["members"]
    )

    /// The resource types Roster serves.
    public static let all: [ResourceSchema] = [.user, .group]

    /// The extension with URN `urn` (a legacy alias counts), if this resource type has it.
    public func extensionSchema(_ urn: String) -> SchemaDefinition? {
        let canonical = AttributePath.canonicalURN(urn)
        return extensions.first { $0.id.caseInsensitiveEquals(canonical) }
    }

    /// Whether `urn` names the core schema (a legacy alias counts).
    public func isCoreSchema(_ urn: String) -> Bool {
        AttributePath.canonicalURN(urn).caseInsensitiveEquals(core.id)
    }

    /// The core or common attribute named `name`, ignoring case.
    public func coreAttribute(named name: String) -> AttributeDefinition? {
        core.attribute(named: name) ?? CoreSchemas.commonAttributes.first { $0.name.caseInsensitiveEquals(name) }
    }

    /// Resolves a path. Unknown attributes resolve as schemaless, case-insensitive strings (`isKnown` false).
    public func resolve(_ path: AttributePath) -> ResolvedAttribute {
        var container: String?
        var definition: AttributeDefinition?
        var name = path.attribute
        if let urn = path.schemaURN, !isCoreSchema(urn) {
            if let schema = extensionSchema(urn) {
                container = schema.id
                definition = schema.attribute(named: path.attribute)
            } else {
                container = urn
            }
        } else if path.isExtensionReference {
            if let schema = extensionSchema(path.attribute) {
                name = schema.id
                definition = AttributeDefinition(
                    schema.id,
                    type: .complex,
                    description: schema.description,
                    subAttributes: schema.attributes
                )
            } else if isCoreSchema(path.attribute) {
                name = core.id
            }
        } else if let coreDefinition = coreAttribute(named: path.attribute) {
            definition = coreDefinition
        } else if let owner = extensionOwning(path.attribute) {
            // RFC 7644 §3.10 lets clients omit only the core URN, but Entra's tutorial sends `manager` unqualified;
            // a name that exactly one extension defines is unambiguous.
            container = owner.id
            definition = owner.attribute(named: path.attribute)
        }
        let known = definition != nil
        let resolvedDefinition =
            definition ?? ResourceSchema.schemaless(path.attribute, complex: path.subAttribute != nil || path.isExtensionReference)
        if let definition { name = definition.name }
        var subDefinition: AttributeDefinition?
        var subName = path.subAttribute
        if let sub = path.subAttribute {
            if let found = resolvedDefinition.subAttribute(named: sub) {
                subDefinition = found
                subName = found.name
            } else {
                subDefinition = ResourceSchema.schemaless(sub, complex: false)
            }
        }
        let subKnown = path.subAttribute == nil || resolvedDefinition.subAttribute(named: path.subAttribute ?? "") != nil
        return ResolvedAttribute(
            container: container,
            name: name,
            definition: resolvedDefinition,
            subName: subName,
            subDefinition: subDefinition,
            isKnown: known && subKnown
        )
    }

    /// The one extension that defines an attribute named `name`, when exactly one does.
    func extensionOwning(_ name: String) -> SchemaDefinition? {
        let owners = extensions.filter { $0.attribute(named: name) != nil }
        return owners.count == 1 ? owners.first : nil
    }

    /// A definition for an attribute no schema defines: a case-insensitive string, or a complex value.
    static func schemaless(_ name: String, complex: Bool) -> AttributeDefinition {
        AttributeDefinition(name, type: complex ? .complex : .string, description: schemalessDescription)
    }

    /// The description that marks a synthesized definition for an attribute no schema defines.
    static let schemalessDescription = "Not defined by a schema."
}
