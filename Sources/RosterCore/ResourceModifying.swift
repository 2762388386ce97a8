import SCIM

/// A store that writes PUT and PATCH through one read-modify-write step
/// (``modify(_:directoryID:id:precondition:includeDerived:apply:)``). What each request does to the stored
/// attributes is decided here, once for every such store: PUT applies ``ResourceReplacement``'s rules, PATCH the
/// ``PatchEngine``; the store only loads, locks and writes.
public protocol ResourceModifying: RosterStore {
    /// Loads the resource with `id`, checks `precondition`, decides its change (``ResourceChange``, with `apply` the
    /// request applied to the stored row) and writes it back, all in one transaction; nothing is written and
    /// `meta.lastModified` stays when nothing really changed. Returns the resource as stored, with derived
    /// attributes when `includeDerived`; throws 404 when it does not exist, 412 when the precondition fails.
    func modify(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        precondition: VersionPrecondition?,
        includeDerived: Bool,
        apply: @escaping @Sendable (ResourceRecord) throws -> PatchResult
    ) async throws -> StoredResource
}

extension ResourceModifying {
    /// Replaces a resource (PUT): ``ResourceReplacement`` applied to the stored attributes.
    public func replace(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        body: JSONValue,
        precondition: VersionPrecondition?,
        includeDerived: Bool
    ) async throws -> StoredResource {
        try await modify(kind, directoryID: directoryID, id: id, precondition: precondition, includeDerived: includeDerived) { row in
            try ResourceReplacement.apply(body, to: row.attributes, schema: kind.schema, resourceID: id)
        }
    }

    /// Applies a PATCH: the ``PatchEngine`` of the kind's schema applied to the stored attributes.
    public func patch(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        request: PatchRequest,
        precondition: VersionPrecondition?,
        includeDerived: Bool
    ) async throws -> StoredResource {
        try await modify(kind, directoryID: directoryID, id: id, precondition: precondition, includeDerived: includeDerived) { row in
            try PatchEngine(schema: kind.schema).apply(request, to: row.attributes, resourceID: id)
        }
    }
}
