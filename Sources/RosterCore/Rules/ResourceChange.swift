import SCIM

/// What a PUT or PATCH of one resource changes, decided in one step before the store writes anything: the protocol
/// core applies the request to the stored attributes (the PATCH engine or PUT's rules, passed in as `apply`), and the
/// domain rules make of the result everything the store then writes: the new document, its indexed columns, the
/// events and what teams must follow (``ResourceUpdate``). A store's write transaction calls into the protocol core
/// through this step only; the rest of the transaction is SQL.
public struct ResourceChange: Sendable {
    /// The request applied: the new attributes, which attributes changed, and the membership changes (groups).
    public let result: PatchResult
    /// When attributes changed, what to store.
    public let stored: Stored?

    /// The new attributes as stored.
    public struct Stored: Sendable {
        /// The new document (``ResourceDocument``).
        public let document: String
        /// Its indexed columns.
        public let columns: IndexedColumns
        /// The events and team consequences of the change.
        public let update: ResourceUpdate
    }

    /// Applies a request to `row`, a resource of `kind`, with `apply`, and decides what the change means.
    public init(_ kind: ResourceKind, row: ResourceRecord, apply: (ResourceRecord) throws -> PatchResult) throws {
        result = try apply(row)
        guard result.attributesChanged else {
            stored = nil
            return
        }
        stored = Stored(
            document: ResourceDocument.serialize(result.attributes, kind: kind),
            columns: kind == .user ? IndexedColumns.user(result.attributes) : IndexedColumns.group(result.attributes),
            update: ResourceUpdate(
                kind,
                directoryID: row.directoryID,
                id: row.id,
                before: row.attributes,
                after: result.attributes,
                changedAttributes: result.changedAttributes
            )
        )
    }
}
