extension CoreSchemas {
    /// The ServiceProviderConfig schema of RFC 7643 §5 and §8.7.2, describing the `/ServiceProviderConfig` document.
    /// `etag` is listed although §8.7.2 forgets it, because §5 defines it and the document carries it.
    public static let serviceProviderConfig = SchemaDefinition(
        id: SCIMSchemaURN.serviceProviderConfig,
        name: "Service Provider Configuration",
        description: "Schema for representing the service provider's configuration",
        attributes: [
            readOnly(
                "documentationUri",
                type: .reference,
                description: "An HTTP-addressable URL pointing to the service provider's human-consumable help documentation.",
                referenceTypes: ["external"]
            ),
            feature("patch", "A complex type that specifies PATCH configuration options."),
            feature(
                "bulk",
                "A complex type that specifies bulk configuration options.",
                extra: [
                    readOnly("maxOperations", type: .integer, description: "The maximum number of operations in one bulk request.", required: true),
                    readOnly("maxPayloadSize", type: .integer, description: "The maximum payload size in bytes.", required: true),
                ]
            ),
            feature(
                "filter",
                "A complex type that specifies FILTER options.",
                extra: [
                    readOnly(
                        "maxResults",
                        type: .integer,
                        description: "The maximum number of resources returned in a response.",
                        required: true
                    )
                ]
            ),
            feature("changePassword", "A complex type that specifies configuration options related to changing a password."),
            feature("sort", "A complex type that specifies sort result options."),
            feature("etag", "A complex type that specifies ETag configuration options."),
            readOnly(
                "authenticationSchemes",
                type: .complex,
                multiValued: true,
                description: "A complex type that specifies supported authentication scheme properties.",
                required: true,
                subAttributes: [
                    readOnly(
                        "type",
                        description: "The authentication scheme.",
                        required: true,
                        canonicalValues: ["oauth", "oauth2", "oauthbearertoken", "httpbasic", "httpdigest"]
                    ),
                    readOnly("name", description: "The common authentication scheme name, such as 'HTTP Basic'.", required: true),
                    readOnly("description", description: "A description of the authentication scheme.", required: true),
                    readOnly(
                        "specUri",
                        type: .reference,
                        description: "An HTTP-addressable URL pointing to the authentication scheme's specification.",
                        referenceTypes: ["external"]
                    ),
                    readOnly(
                        "documentationUri",
                        type: .reference,
                        description: "An HTTP-addressable URL pointing to the authentication scheme's usage documentation.",
                        referenceTypes: ["external"]
                    ),
                    readOnly("primary", type: .boolean, description: "Whether this is the preferred authentication scheme."),
                ]
            ),
        ]
    )

    /// The ResourceType schema of RFC 7643 §6 and §8.7.2, describing the documents served at `/ResourceTypes`.
    /// `schemaExtensions` is multi-valued and optional (RFC 7643 §6 says OPTIONAL; the Group type has none).
    public static let resourceType = SchemaDefinition(
        id: SCIMSchemaURN.resourceType,
        name: "ResourceType",
        description: "Specifies the schema that describes a SCIM resource type",
        attributes: [
            readOnly("id", description: "The resource type's server unique id; the same as the 'name' attribute."),
            readOnly("name", description: "The resource type name, such as 'User'.", required: true),
            readOnly("description", description: "The resource type's human-readable description."),
            readOnly(
                "endpoint",
                type: .reference,
                description: "The resource type's HTTP-addressable endpoint relative to the Base URL, such as '/Users'.",
                required: true,
                referenceTypes: ["uri"]
            ),
            readOnly(
                "schema",
                type: .reference,
                description: "The resource type's primary/base schema URI.",
                required: true,
                caseExact: true,
                referenceTypes: ["uri"]
            ),
            readOnly(
                "schemaExtensions",
                type: .complex,
                multiValued: true,
                description: "A list of URIs of the resource type's schema extensions.",
                subAttributes: [
                    readOnly(
                        "schema",
                        type: .reference,
                        description: "The URI of a schema extension.",
                        required: true,
                        caseExact: true,
                        referenceTypes: ["uri"]
                    ),
                    readOnly(
                        "required",
                        type: .boolean,
                        description: "Whether a resource of this type must include this schema extension.",
                        required: true
                    ),
                ]
            ),
        ]
    )

    /// The Schema schema of RFC 7643 §7 and §8.7.2, describing the documents served at `/Schemas`. Like §8.7.2 it
    /// describes attribute definitions two levels deep: `attributes` and their `subAttributes`.
    public static let schema = SchemaDefinition(
        id: SCIMSchemaURN.schema,
        name: "Schema",
        description: "Specifies the schema attributes",
        attributes: [
            readOnly("id", description: "The unique URI of the schema.", required: true),
            readOnly("name", description: "The schema's human-readable name, such as 'User'."),
            readOnly("description", description: "The schema's human-readable description."),
            readOnly(
                "attributes",
                type: .complex,
                multiValued: true,
                description: "A complex attribute that defines service provider attributes and their qualities.",
                required: true,
                subAttributes: attributeCharacteristics + [
                    readOnly(
                        "subAttributes",
                        type: .complex,
                        multiValued: true,
                        description: "When an attribute is of type 'complex', the set of sub-attributes.",
                        subAttributes: attributeCharacteristics
                    )
                ]
            ),
        ]
    )

    /// The characteristics every attribute definition in a Schema document has (RFC 7643 §7), without
    /// `subAttributes`; the canonical values are those of ``AttributeType``, ``Mutability``, ``Returned`` and
    /// ``Uniqueness``, so they always match what the documents contain.
    private static let attributeCharacteristics: [AttributeDefinition] = [
        readOnly("name", description: "The attribute's name.", required: true, caseExact: true),
        readOnly(
            "type",
            description: "The attribute's data type.",
            required: true,
            caseExact: true,
            canonicalValues: [AttributeType.string, .boolean, .decimal, .integer, .dateTime, .binary, .reference, .complex].map(\.rawValue)
        ),
        readOnly("multiValued", type: .boolean, description: "Whether the attribute holds a list of values.", required: true),
        readOnly("description", description: "The attribute's human-readable description."),
        readOnly("required", type: .boolean, description: "Whether the attribute is required.", required: true),
        readOnly("canonicalValues", multiValued: true, description: "A collection of suggested values.", caseExact: true),
        readOnly("caseExact", type: .boolean, description: "Whether string comparisons of the attribute are case-sensitive."),
        readOnly(
            "mutability",
            description: "Whether and how the attribute may be changed.",
            caseExact: true,
            canonicalValues: [Mutability.readOnly, .readWrite, .immutable, .writeOnly].map(\.rawValue)
        ),
        readOnly(
            "returned",
            description: "When the attribute is returned in a response.",
            caseExact: true,
            canonicalValues: [Returned.always, .never, .default, .request].map(\.rawValue)
        ),
        readOnly(
            "uniqueness",
            description: "How the service provider enforces uniqueness of the attribute's values.",
            caseExact: true,
            canonicalValues: [Uniqueness.none, .server, .global].map(\.rawValue)
        ),
        readOnly(
            "referenceTypes",
            multiValued: true,
            description: "For a reference attribute, the resource types it may point at, or 'external' or 'uri'.",
            caseExact: true
        ),
    ]

    /// A read-only attribute, as every attribute of the discovery schemas is (RFC 7643 §8.7.2).
    private static func readOnly(
        _ name: String,
        type: AttributeType = .string,
        multiValued: Bool = false,
        description: String,
        required: Bool = false,
        caseExact: Bool = false,
        canonicalValues: [String] = [],
        referenceTypes: [String] = [],
        subAttributes: [AttributeDefinition] = []
    ) -> AttributeDefinition {
        AttributeDefinition(
            name,
            type: type,
            multiValued: multiValued,
            description: description,
            required: required,
            caseExact: caseExact,
            mutability: .readOnly,
            canonicalValues: canonicalValues,
            referenceTypes: referenceTypes,
            subAttributes: subAttributes
        )
    }

    /// A required complex feature of the ServiceProviderConfig with a required `supported` flag and `extra`
    /// sub-attributes.
    private static func feature(_ name: String, _ description: String, extra: [AttributeDefinition] = []) -> AttributeDefinition {
        let supported = readOnly("supported", type: .boolean, description: "Whether the operation is supported.", required: true)
        return readOnly(name, type: .complex, description: description, required: true, subAttributes: [supported] + extra)
    }
}
