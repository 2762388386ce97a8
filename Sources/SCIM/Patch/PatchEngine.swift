/// Applies PATCH requests (RFC 7644 §3.5.2) to a resource's stored attributes with every IdP quirk Roster accepts
/// (see `docs/IDP-BEHAVIOURS.md` §0, §2.4, §2.5, §6). All operations apply or none does: a failing operation throws
/// and the caller keeps its unchanged copy.
public struct PatchEngine: Sendable {
    /// The resource type the requests target.
    public var schema: ResourceSchema

    /// Makes an engine for one resource type.
    public init(schema: ResourceSchema) {
        self.schema = schema
    }

    /// Applies `request` to `attributes` (the stored form, without `id`, `meta` or detached members) of the resource
    /// with id `resourceID`.
    public func apply(_ request: PatchRequest, to attributes: JSONObject, resourceID: String) throws(SCIMError) -> PatchResult {
        var editor = ResourceEditor(schema: schema, document: attributes, resourceID: resourceID)
        for operation in request.operations {
            try editor.apply(operation)
        }
        try ResourceNormalizer.checkRequired(editor.document, schema: schema)
        return PatchResult(
            attributes: editor.document,
            changedAttributes: PatchResult.changedAttributes(from: attributes, to: editor.document),
            membershipChanges: editor.membershipChanges
        )
    }
}
