extension CoreSchemas {
    /// The core Group schema of RFC 7643 §4.2. `displayName` is required and unique per directory, ignoring case,
    /// because groups map to teams by name.
    public static let group = SchemaDefinition(
        id: SCIMSchemaURN.group,
        name: "Group",
        description: "Group",
        attributes: [
            AttributeDefinition(
                "displayName",
                description: "A human-readable name for the Group; unique within the directory, ignoring case.",
                required: true,
                uniqueness: .server
            ),
            AttributeDefinition(
                "members",
                type: .complex,
                multiValued: true,
                description: "The members of the Group.",
                subAttributes: [
                    AttributeDefinition("value", description: "The identifier of the member.", caseExact: true, mutability: .immutable),
                    AttributeDefinition(
                        "$ref",
                        type: .reference,
                        description: "The URI of the member resource.",
                        mutability: .immutable,
                        referenceTypes: ["User", "Group"]
                    ),
                    AttributeDefinition("type", description: "The type of the member.", mutability: .immutable, canonicalValues: ["User", "Group"]),
                ]
            ),
        ]
    )
}
