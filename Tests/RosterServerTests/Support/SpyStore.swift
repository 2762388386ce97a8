import RosterCore
import RosterSQLite
import RosterTestSupport
import SCIM

/// The real SQLite store on an in-memory database, wrapped for the tests that must see which reads the server asked
/// for (whether derived attributes were loaded) or make the store fail: every SCIM call is forwarded unchanged,
/// noted in ``calls``, and first throws ``injectedError`` when one is set. No behaviour of its own.
actor SpyStore: RosterStore {
    /// The store that does the work.
    let base: SQLiteStore
    /// The calls so far, such as `get group derived=false` or `patch user derived=true`.
    private(set) var calls: [String] = []
    /// What every SCIM call throws while set.
    private var injectedError: (any Error)?
    /// Directories whose token the spy refuses, as the store does for a disabled directory.
    private var disabled: Set<String> = []

    /// A spy over a fresh in-memory store.
    init() throws {
        base = try SQLiteStore.inMemory()
    }

    /// Makes every SCIM call throw `error` (nil: work again).
    func inject(_ error: (any Error)?) { injectedError = error }

    /// Refuses (or accepts again) the directory's token, as the store does for a disabled directory.
    func setEnabled(_ enabled: Bool, directoryID: String) {
        if enabled { disabled.remove(directoryID) } else { disabled.insert(directoryID) }
    }

    private func note(_ call: String) throws {
        calls.append(call)
        if let injectedError { throw injectedError }
    }

    // MARK: Directories (forwarded, not noted)

    func createDirectory(name: String, provider: DirectoryProvider, tokenHash: [UInt8], by actor: AuditActor) async throws -> Directory {
        try await base.createDirectory(name: name, provider: provider, tokenHash: tokenHash, by: actor)
    }

    func directories() async throws -> [Directory] { try await base.directories() }

    func directory(id: String) async throws -> Directory? { try await base.directory(id: id) }

    func tokenHash(directoryID: String) async throws -> [UInt8]? {
        disabled.contains(directoryID) ? nil : try await base.tokenHash(directoryID: directoryID)
    }

    func replaceTokenHash(directoryID: String, tokenHash: [UInt8], by actor: AuditActor) async throws -> Bool {
        try await base.replaceTokenHash(directoryID: directoryID, tokenHash: tokenHash, by: actor)
    }

    func deleteDirectory(id: String, by actor: AuditActor) async throws -> Bool { try await base.deleteDirectory(id: id, by: actor) }

    func warnings(directoryID: String, limit: Int) async throws -> [DirectoryWarning] {
        try await base.warnings(directoryID: directoryID, limit: limit)
    }

    // MARK: SCIM resources (noted)

    func create(_ kind: ResourceKind, directoryID: String, input: NormalizedResource) async throws -> StoredResource {
        try note("create \(kind.rawValue)")
        return try await base.create(kind, directoryID: directoryID, input: input)
    }

    func resource(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool) async throws -> StoredResource {
        try note("get \(kind.rawValue) derived=\(includeDerived)")
        return try await base.resource(kind, directoryID: directoryID, id: id, includeDerived: includeDerived)
    }

    func resourceForResponse(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool) async throws -> StoredResource {
        try note("get \(kind.rawValue) derived=\(includeDerived)")
        return try await base.resourceForResponse(kind, directoryID: directoryID, id: id, includeDerived: includeDerived)
    }

    func replace(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        body: JSONValue,
        precondition: VersionPrecondition?,
        includeDerived: Bool
    ) async throws -> StoredResource {
        try note("replace \(kind.rawValue) derived=\(includeDerived)")
        return try await base.replace(kind, directoryID: directoryID, id: id, body: body, precondition: precondition, includeDerived: includeDerived)
    }

    func patch(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        request: PatchRequest,
        precondition: VersionPrecondition?,
        includeDerived: Bool
    ) async throws -> StoredResource {
        try note("patch \(kind.rawValue) derived=\(includeDerived)")
        return try await base.patch(
            kind,
            directoryID: directoryID,
            id: id,
            request: request,
            precondition: precondition,
            includeDerived: includeDerived
        )
    }

    func delete(_ kind: ResourceKind, directoryID: String, id: String, precondition: VersionPrecondition?) async throws {
        try note("delete \(kind.rawValue)")
        try await base.delete(kind, directoryID: directoryID, id: id, precondition: precondition)
    }

    func list(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool) async throws -> ResourcePage {
        try note("list \(kind.rawValue) derived=\(includeDerived)")
        return try await base.list(kind, directoryID: directoryID, query: query, includeDerived: includeDerived)
    }

    func listForResponse(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool) async throws -> ResourcePage {
        try note("list \(kind.rawValue) derived=\(includeDerived)")
        return try await base.listForResponse(kind, directoryID: directoryID, query: query, includeDerived: includeDerived)
    }

    func count(_ kind: ResourceKind, directoryID: String, query: ListQuery) async throws -> Int {
        try note("count \(kind.rawValue)")
        return try await base.count(kind, directoryID: directoryID, query: query)
    }
}
