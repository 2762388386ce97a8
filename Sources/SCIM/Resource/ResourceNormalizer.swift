/// A POST or PUT body in stored form: attributes with canonical names and types, and the members it lists.
public struct NormalizedResource: Sendable, Hashable {
    /// The attributes to store (no `id`, `meta`, `schemas`, `password`, read-only or detached attributes).
    public var attributes: JSONObject
    /// The members the body lists, or nil when it has no `members` key.
    public var members: [GroupMember]?
    /// The attributes the body named that its schemas do not define (a misspelt `adreses`), as sent; not stored.
    public var ignoredAttributes: [String]

    /// Makes a normalized resource.
    public init(attributes: JSONObject, members: [GroupMember]?, ignoredAttributes: [String] = []) {
        self.attributes = attributes
        self.members = members
        self.ignoredAttributes = ignoredAttributes
    }
}

/// Reads POST and PUT bodies into stored form, accepting what IdPs send (docs/IDP-BEHAVIOURS.md §1.6, §2.4, §5.3,
/// §6.7–§6.11): string booleans, single objects for multi-valued attributes, `null` as unassigned, legacy and unknown
/// schema URNs, read-only attributes (ignored), `password` (dropped), attributes the core schema or a known extension
/// does not define (ignored, §6.9 there), and attributes of extensions Roster does not know (kept as sent: Okta's
/// custom attributes arrive under their own extension URN).
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
        return NormalizedResource(attributes: editor.document, members: members, ignoredAttributes: editor.ignoredAttributes)
    }

    /// The attributes an object of attributes (a POST or PUT body, a PATCH value without `path`) names that the
    /// schemas do not define, as sent: what normalizing it ignores. Empty when the object is invalid anyway.
    public static func ignoredAttributes(in object: JSONObject, schema: ResourceSchema) -> [String] {
        var editor = ResourceEditor(schema: schema, document: JSONObject(), resourceID: nil)
        do {
            try editor.applyValueObject(.replace, object)
        } catch {
            return []
        }
        return editor.ignoredAttributes
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
