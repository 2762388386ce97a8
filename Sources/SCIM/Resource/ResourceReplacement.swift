/// PUT (RFC 7644 §3.5.1) with Roster's replace semantics (docs/IDP-BEHAVIOURS.md §6.8): writable attributes are
/// replaced and omitted ones cleared, read-only ones (`id`, `meta`, `groups`) ignored, `active` changed only when the
/// body has it, `password` accepted and never stored, immutable attributes unchanged or 400 `mutability`. Group
/// members are replaced when the body lists `members` and left alone when it has no `members` key.
public enum ResourceReplacement {
    /// Replaces the stored `current` attributes of the resource `resourceID` with `body`; an `id` in the body must be
    /// absent, null or equal to `resourceID`.
    public static func apply(_ body: JSONValue, to current: JSONObject, schema: ResourceSchema, resourceID: String) throws(SCIMError) -> PatchResult {
        let normalized = try ResourceNormalizer.normalize(body, schema: schema, resourceID: resourceID)
        var attributes = normalized.attributes
        for attribute in schema.core.attributes where attribute.type == .boolean && attribute.name == "active" {
            if attributes[attribute.name] == nil, let kept = current[attribute.name] { attributes[attribute.name] = kept }
        }
        for attribute in schema.core.attributes + CoreSchemas.commonAttributes where attribute.mutability == .immutable {
            if let old = current[attribute.name], let new = attributes[attribute.name], old != new {
                throw .mutability("'\(attribute.name)' is immutable")
            }
        }
        return PatchResult(
            attributes: attributes,
            changedAttributes: PatchResult.changedAttributes(from: current, to: attributes),
            membershipChanges: normalized.members.map { [.replace($0)] } ?? []
        )
    }
}
