/// A POST or PUT body in stored form: attributes with canonical names and types, and the members it lists.
public struct NormalizedResource: Sendable, Hashable {
    /// The attributes to store (no `id`, `meta`, `schemas`, `password`, read-only or detached attributes).
    public var attributes: JSONObject
    /// The members the body lists, or nil when it has no `members` key.
    public var members: [GroupMember]?

    /// Makes a normalized resource.
    public init(attributes: JSONObject, members: [GroupMember]?) {
        self.attributes = attributes
        self.members = members
    }
}

/// Reads POST and PUT bodies into stored form, accepting what IdPs send (idp-notes §0 items 12, 15, 16; §7):
/// string booleans, single objects for multi-valued attributes, `null` as unassigned, legacy and unknown schema URNs,
/// read-only attributes (ignored), `password` (dropped), unknown attributes (kept as sent).
public enum ResourceNormalizer {
    /// Normalizes a body for `schema`; throws `invalidSyntax` for a non-object and `invalidValue` for a missing
    /// required attribute or a value of the wrong type. With `resourceID` (a PUT), an `id` in the body that differs
    /// from it is a 400 `mutability`; without (a POST), any `id` is ignored.
    public static func normalize(_ body: JSONValue, schema: ResourceSchema, resourceID: String? = nil) throws(SCIMError) -> NormalizedResource {
        guard let object = body.objectValue else { throw .invalidSyntax("the body must be a JSON object") }
        var editor = ResourceEditor(schema: schema, document: JSONObject(), resourceID: resourceID)
        try editor.applyValueObject(.replace, object)
        try checkRequired(editor.document, schema: schema)
        var members: [GroupMember]?
        for change in editor.membershipChanges {
            if case .replace(let list) = change { members = list }
        }
        return NormalizedResource(attributes: editor.document, members: members)
    }

    /// Throws `invalidValue` unless every required attribute of the core schema has a non-empty value.
    static func checkRequired(_ attributes: JSONObject, schema: ResourceSchema) throws(SCIMError) {
        for attribute in schema.core.attributes where attribute.required {
            guard attribute.multiValued || schema.detachedAttributes.contains(attribute.name) || attributes[attribute.name]?.isPresent == true else {
                throw .invalidValue("'\(attribute.name)' is required")
            }
        }
    }
}
