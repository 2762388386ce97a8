/// Builds the representation of a resource that goes on the wire: `schemas` computed from what the resource holds,
/// then `id`, `externalId`, the core attributes in schema order, extensions and `meta`, every known name in its
/// canonical spelling. Top-level attributes the core schema does not define (stored before Roster ignored them)
/// are left out, so a resource never carries what `/Schemas` does not describe. `password` and other `returned: never` attributes never appear.
public enum ResourceRenderer {
    /// Renders a resource. `derived` holds attributes the store computes (a Group's `members`, a User's `groups`).
    public static func render(
        schema: ResourceSchema,
        id: String,
        attributes: JSONObject,
        derived: JSONObject = JSONObject(),
        meta: ResourceMeta? = nil
    ) -> JSONObject {
        var output = JSONObject()
        var schemas: [JSONValue] = [.string(schema.core.id)]
        output["schemas"] = .null
        output["id"] = .string(id)
        if let externalId = attributes["externalId"] { output["externalId"] = externalId }
        for attribute in schema.core.attributes where attribute.returned != .never {
            if let value = derived[attribute.name] ?? attributes[attribute.name] { output[attribute.name] = value }
        }
        var extensionKeys: [String] = []
        for (key, value) in attributes where output[key] == nil && key != "meta" && key != "id" {
            if key.lowercased().hasPrefix("urn:"), value.objectValue != nil {
                extensionKeys.append(key)
            } else if let definition = schema.coreAttribute(named: key), definition.returned != .never {
                output[key] = value
            }
        }
        let known = schema.extensions.map(\.id).filter { id in extensionKeys.contains(id) }
        for key in known + extensionKeys.filter({ !known.contains($0) }) {
            output[key] = attributes[key]
            schemas.append(.string(key))
        }
        output["schemas"] = .array(schemas)
        if let meta { output["meta"] = meta.document(resourceType: schema.name) }
        return output
    }
}
