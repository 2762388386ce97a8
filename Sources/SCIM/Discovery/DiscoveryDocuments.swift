/// The `/ResourceTypes` and `/Schemas` documents of RFC 7644 §4, generated from ``ResourceSchema`` and
/// ``SchemaDefinition`` so that what Roster advertises is what it validates. `baseURL` is the SCIM base URL of the
/// directory, such as `https://roster.example/scim/v2/d/acme`, without the endpoint; a trailing slash is ignored.
/// The ListResponse wrapping of the lists is left to the caller. No document contains a JSON null.
public enum DiscoveryDocuments {
    /// The resource types served at `/ResourceTypes`, in order.
    public static let servedResourceTypes: [ResourceSchema] = ResourceSchema.all

    /// The schemas served at `/Schemas`, in order: the resource schemas, then the discovery meta-schemas (which
    /// scim2-tester requires to be present).
    public static let servedSchemas: [SchemaDefinition] = [
        CoreSchemas.user,
        CoreSchemas.enterpriseUser,
        CoreSchemas.group,
        CoreSchemas.serviceProviderConfig,
        CoreSchemas.resourceType,
        CoreSchemas.schema,
    ]

    /// The ResourceType document of `resourceType` (RFC 7643 §6). `schemaExtensions` is omitted when the type has
    /// no extensions; every extension is optional (`required` false).
    public static func resourceType(_ resourceType: ResourceSchema, baseURL: String) -> JSONValue {
        var object = JSONObject()
        object["schemas"] = .array([.string(SCIMSchemaURN.resourceType)])
        object["id"] = .string(resourceType.name)
        object["name"] = .string(resourceType.name)
        object["endpoint"] = .string(resourceType.endpoint)
        object["description"] = .string(resourceType.description)
        object["schema"] = .string(resourceType.core.id)
        if !resourceType.extensions.isEmpty {
            object["schemaExtensions"] = .array(resourceType.extensions.map { ["schema": .string($0.id), "required": false] })
        }
        object["meta"] = [
            "resourceType": "ResourceType",
            "location": .string(location(baseURL: baseURL, path: "/ResourceTypes/" + resourceType.name)),
        ]
        return .object(object)
    }

    /// The Schema document of `definition` (RFC 7643 §7): its attributes, never the common attributes `id`,
    /// `externalId` and `meta`, which belong to no schema (RFC 7643 §3.1).
    public static func schema(_ definition: SchemaDefinition, baseURL: String) -> JSONValue {
        var object = JSONObject()
        object["schemas"] = .array([.string(SCIMSchemaURN.schema)])
        object["id"] = .string(definition.id)
        object["name"] = .string(definition.name)
        object["description"] = .string(definition.description)
        object["attributes"] = .array(definition.attributes.map(\.discoveryDocument))
        object["meta"] = [
            "resourceType": "Schema",
            "location": .string(location(baseURL: baseURL, path: "/Schemas/" + definition.id)),
        ]
        return .object(object)
    }

    /// The ResourceType documents of every served resource type, for the `Resources` of a ListResponse.
    public static func allResourceTypes(baseURL: String) -> [JSONValue] {
        servedResourceTypes.map { resourceType($0, baseURL: baseURL) }
    }

    /// The Schema documents of every served schema, for the `Resources` of a ListResponse.
    public static func allSchemas(baseURL: String) -> [JSONValue] {
        servedSchemas.map { schema($0, baseURL: baseURL) }
    }

    /// The served resource type named `id`, ignoring case (`GET /ResourceTypes/{id}`); 404 when there is none.
    public static func resourceSchema(id: String) throws(SCIMError) -> ResourceSchema {
        guard let found = servedResourceTypes.first(where: { $0.name.caseInsensitiveEquals(id) }) else {
            throw SCIMError.notFound("Resource type \(id) not found")
        }
        return found
    }

    /// The served schema whose URN is `id`, ignoring case (`GET /Schemas/{id}`); 404 when there is none.
    public static func schemaDefinition(id: String) throws(SCIMError) -> SchemaDefinition {
        guard let found = servedSchemas.first(where: { $0.id.caseInsensitiveEquals(id) }) else {
            throw SCIMError.notFound("Schema \(id) not found")
        }
        return found
    }

    /// The ResourceType document for `GET /ResourceTypes/{id}`, a single object; 404 for an unknown id.
    public static func resourceType(id: String, baseURL: String) throws(SCIMError) -> JSONValue {
        resourceType(try resourceSchema(id: id), baseURL: baseURL)
    }

    /// The Schema document for `GET /Schemas/{id}`, a single object; 404 for an unknown id.
    public static func schema(id: String, baseURL: String) throws(SCIMError) -> JSONValue {
        schema(try schemaDefinition(id: id), baseURL: baseURL)
    }

    /// Applies RFC 7644 §4 to the query of a discovery endpoint: sorting and pagination parameters "SHALL be
    /// ignored", but if a `filter` is provided the service provider "SHOULD respond with HTTP status code 403", so
    /// that a client cannot take an unfiltered list for a filtered one. Any non-nil `filter`, even empty, is refused.
    public static func checkQuery(filter: String?) throws(SCIMError) {
        if filter != nil {
            throw SCIMError(status: 403, detail: "Filtering is not supported on the discovery endpoints (RFC 7644 §4).")
        }
    }

    /// `baseURL` joined with an absolute `path`, without doubling the slash.
    static func location(baseURL: String, path: String) -> String {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + path
    }
}
