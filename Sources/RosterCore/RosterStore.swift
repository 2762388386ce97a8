import SCIM

/// A page of resources and how many matched in all.
public struct ResourcePage: Sendable, Hashable {
    /// How many resources matched the filter.
    public var totalResults: Int
    /// The resources on the requested page, in a stable order.
    public var resources: [StoredResource]

    /// Makes a page.
    public init(totalResults: Int, resources: [StoredResource]) {
        self.totalResults = totalResults
        self.resources = resources
    }
}

/// A precondition on the version of the resource a write targets (`If-Match`, RFC 7644 §3.14).
public struct VersionPrecondition: Sendable, Hashable {
    /// The entity tags the client accepts; `*` matches any version.
    public var acceptedTags: [String]

    /// Makes a precondition from the tags of an `If-Match` header.
    public init(acceptedTags: [String]) {
        self.acceptedTags = acceptedTags
    }

    /// Parses an `If-Match` header value; nil when the header is absent or empty.
    public init?(ifMatch header: String?) {
        guard let header else { return nil }
        let tags = header.split(separator: ",").map { String($0).trimmed() }.filter { !$0.isEmpty }
        guard !tags.isEmpty else { return nil }
        self.acceptedTags = tags
    }

    /// Whether a resource with `etag` satisfies the precondition (weak comparison).
    public func isSatisfied(by etag: String) -> Bool {
        acceptedTags.contains { $0 == "*" || VersionPrecondition.opaque($0) == VersionPrecondition.opaque(etag) }
    }

    private static func opaque(_ tag: String) -> String {
        tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
    }
}

/// Everything Roster stores, behind one protocol so that tests and production share the wiring; SQLite is the
/// first implementation. Every SCIM write is one transaction that also queues its events. Protocol failures are
/// thrown as ``SCIMError`` (404 unknown resource, 409 uniqueness, 412 version mismatch, 400 bad input).
public protocol RosterStore: Sendable {
    // MARK: Directories

    /// Creates a directory whose token has the hash `tokenHash`, recording it in the audit trail as done by `actor`.
    func createDirectory(name: String, provider: DirectoryProvider, tokenHash: [UInt8], by actor: AuditActor) async throws -> Directory
    /// Every directory, oldest first.
    func directories() async throws -> [Directory]
    /// The directory with `id`, if any.
    func directory(id: String) async throws -> Directory?
    /// The stored token hash of an enabled directory, for authentication; nil when there is no such directory or
    /// it is disabled.
    func tokenHash(directoryID: String) async throws -> [UInt8]?
    /// Replaces a directory's token hash, recorded as a rotation by `actor`; false when there is no such directory.
    func replaceTokenHash(directoryID: String, tokenHash: [UInt8], by actor: AuditActor) async throws -> Bool
    /// Deletes a directory with everything in it, recorded as done by `actor`; false when there is no such directory.
    func deleteDirectory(id: String, by actor: AuditActor) async throws -> Bool

    // MARK: SCIM resources

    /// Creates a user or group from a normalized body (a group's listed members are added; unknown member ids are
    /// skipped and logged).
    func create(_ kind: ResourceKind, directoryID: String, input: NormalizedResource) async throws -> StoredResource
    /// The resource with `id`, with derived attributes when `includeDerived`; throws 404 when it does not exist.
    func resource(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool) async throws -> StoredResource
    /// Replaces a resource (PUT) after checking `precondition`.
    func replace(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        body: JSONValue,
        precondition: VersionPrecondition?,
        includeDerived: Bool
    ) async throws -> StoredResource
    /// Applies a PATCH after checking `precondition`; member changes touch only the rows they name.
    func patch(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        request: PatchRequest,
        precondition: VersionPrecondition?,
        includeDerived: Bool
    ) async throws -> StoredResource
    /// Deletes a resource after checking `precondition`; a deleted user leaves every group.
    func delete(_ kind: ResourceKind, directoryID: String, id: String, precondition: VersionPrecondition?) async throws
    /// One page of the resources matching `query`, in a stable order, with derived attributes when `includeDerived`.
    func list(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool) async throws -> ResourcePage
    /// How many resources match `query` (for searches across resource types).
    func count(_ kind: ResourceKind, directoryID: String, query: ListQuery) async throws -> Int
    /// Warnings recorded for a directory (skipped member ids, …), newest first.
    func warnings(directoryID: String, limit: Int) async throws -> [DirectoryWarning]

    // MARK: SCIM resources for a response

    /// ``resource(_:directoryID:id:includeDerived:)`` for a response: a document in wire form may be left unparsed
    /// in ``StoredResource/wireDocument`` (``StoredResource/attributes`` then empty), to be spliced.
    func resourceForResponse(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool) async throws -> StoredResource
    /// ``list(_:directoryID:query:includeDerived:)`` for a response, its resources read as
    /// ``resourceForResponse(_:directoryID:id:includeDerived:)`` reads one.
    func listForResponse(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool) async throws -> ResourcePage
}

extension RosterStore {
    /// Reads the resource with its attributes parsed (a store that keeps no documents).
    public func resourceForResponse(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool) async throws -> StoredResource {
        try await resource(kind, directoryID: directoryID, id: id, includeDerived: includeDerived)
    }

    /// Lists the resources with their attributes parsed (a store that keeps no documents).
    public func listForResponse(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool) async throws -> ResourcePage {
        try await list(kind, directoryID: directoryID, query: query, includeDerived: includeDerived)
    }
}

/// Something Roster accepted but did not apply in full, kept for the admin to see (docs/IDP-BEHAVIOURS.md §6.12: a
/// member id that is not in the directory is skipped and recorded).
public struct DirectoryWarning: Sendable, Hashable {
    /// When it happened, in milliseconds since 1970.
    public var at: Int64
    /// What happened.
    public var message: String

    /// Makes a warning.
    public init(at: Int64, message: String) {
        self.at = at
        self.message = message
    }
}
