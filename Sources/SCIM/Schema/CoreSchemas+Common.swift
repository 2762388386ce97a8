/// The schema definitions Roster serves, from RFC 7643; one source of truth for validation, filtering, PATCH,
/// projection and discovery.
public enum CoreSchemas {
    /// The common attributes of every resource (RFC 7643 §3.1): `id`, `externalId` and `meta`. They belong to no
    /// schema's attribute list but are resolved like core attributes.
    public static let commonAttributes: [AttributeDefinition] = [
        AttributeDefinition(
            "id",
            description: "A unique identifier for the resource, assigned by the service provider.",
            caseExact: true,
            mutability: .readOnly,
            returned: .always,
            uniqueness: .server
        ),
        AttributeDefinition(
            "externalId",
            description: "An identifier for the resource as defined by the provisioning client.",
            caseExact: true
        ),
        AttributeDefinition(
            "meta",
            type: .complex,
            description: "Resource metadata.",
            mutability: .readOnly,
            subAttributes: [
                AttributeDefinition("resourceType", description: "The name of the resource type.", caseExact: true, mutability: .readOnly),
                AttributeDefinition("created", type: .dateTime, description: "When the resource was added.", mutability: .readOnly),
                AttributeDefinition(
                    "lastModified",
                    type: .dateTime,
                    description: "When the resource was last changed.",
                    mutability: .readOnly
                ),
                AttributeDefinition(
                    "location",
                    type: .reference,
                    description: "The URI of the resource.",
                    caseExact: true,
                    mutability: .readOnly,
                    referenceTypes: ["uri"]
                ),
                AttributeDefinition("version", description: "The version (ETag) of the resource.", caseExact: true, mutability: .readOnly),
            ]
        ),
    ]

    /// A simple string sub-attribute.
    static func text(_ name: String, _ description: String, mutability: Mutability = .readWrite) -> AttributeDefinition {
        AttributeDefinition(name, description: description, mutability: mutability)
    }

    /// The sub-attributes every multi-valued attribute of the User schema has: value, display, type and primary.
    static func multiValuedParts(
        value: AttributeDefinition,
        types: [String],
        mutability: Mutability = .readWrite
    ) -> [AttributeDefinition] {
        [
            value,
            AttributeDefinition("display", description: "A human-readable name, primarily used for display purposes.", mutability: mutability),
            AttributeDefinition("type", description: "A label indicating the attribute's function.", mutability: mutability, canonicalValues: types),
            AttributeDefinition(
                "primary",
                type: .boolean,
                description: "Whether this is the primary or preferred value; at most one value is primary.",
                mutability: mutability
            ),
        ]
    }
}
