import RosterCore
import SCIM

/// An in-memory ``RosterStore`` test double built on the SCIM core: enough of the store's behaviour for the HTTP
/// tests (uniqueness, versions, `If-Match`, membership, filters, paging in creation order), plus a record of the
/// `includeDerived` flags it was asked for and an optional error to throw from every resource call.
actor MemoryStore: RosterStore {
    private struct Record {
        /// The resource without derived attributes.
        var resource: StoredResource
        /// A group's members, in the order they were added.
        var members: [GroupMember] = []
    }

    private var directoryList: [(directory: Directory, hash: [UInt8])] = []
    private var records: [String: [Record]] = [:]
    private var clock: Int64 = 1_700_000_000_000
    private var nextID = 0

    /// Every resource call, as `"<operation> <kind> derived=<includeDerived>"`.
    private(set) var calls: [String] = []
    /// When set, thrown by every resource call.
    var injectedError: (any Error)?

    /// Makes an empty store.
    init() {}

    /// Sets the error every resource call throws.
    func inject(_ error: (any Error)?) { injectedError = error }

    /// Enables or disables a directory.
    func setEnabled(_ enabled: Bool, directoryID: String) {
        guard let index = directoryList.firstIndex(where: { $0.directory.id == directoryID }) else { return }
        directoryList[index].directory.enabled = enabled
    }

    private func tick() -> Int64 {
        clock += 1
        return clock
    }

    private func newID() -> String {
        nextID += 1
        return "id-\(nextID)-" + String(UInt64.random(in: .min ... .max), radix: 16)
    }

    private func key(_ kind: ResourceKind, _ directoryID: String) -> String { kind.rawValue + "|" + directoryID }

    private func check() throws {
        if let injectedError { throw injectedError }
    }

    // MARK: Directories

    /// Creates a directory.
    func createDirectory(name: String, provider: DirectoryProvider, tokenHash: [UInt8], by actor: AuditActor) async throws -> Directory {
        let directory = Directory(id: newID(), name: name, provider: provider, createdAt: tick())
        directoryList.append((directory, tokenHash))
        return directory
    }

    /// Every directory, oldest first.
    func directories() async throws -> [Directory] { directoryList.map(\.directory) }

    /// The directory with `id`.
    func directory(id: String) async throws -> Directory? { directoryList.first { $0.directory.id == id }?.directory }

    /// The token hash of an enabled directory.
    func tokenHash(directoryID: String) async throws -> [UInt8]? {
        directoryList.first { $0.directory.id == directoryID && $0.directory.enabled }?.hash
    }

    /// Replaces a token hash.
    func replaceTokenHash(directoryID: String, tokenHash: [UInt8], by actor: AuditActor) async throws -> Bool {
        guard let index = directoryList.firstIndex(where: { $0.directory.id == directoryID }) else { return false }
        directoryList[index].hash = tokenHash
        return true
    }

    /// Deletes a directory and its resources.
    func deleteDirectory(id: String, by actor: AuditActor) async throws -> Bool {
        guard let index = directoryList.firstIndex(where: { $0.directory.id == id }) else { return false }
        directoryList.remove(at: index)
        for kind in ResourceKind.allCases { records[key(kind, id)] = nil }
        return true
    }

    // MARK: Resources

    /// Creates a resource; members not in the directory are skipped.
    func create(_ kind: ResourceKind, directoryID: String, input: NormalizedResource) async throws -> StoredResource {
        try check()
        calls.append("create \(kind.rawValue)")
        try checkUnique(kind, directoryID: directoryID, attributes: input.attributes, except: nil)
        let now = tick()
        let resource = StoredResource(
            kind: kind,
            id: newID(),
            directoryID: directoryID,
            attributes: input.attributes,
            createdAt: now,
            modifiedAt: now,
            version: 1
        )
        var record = Record(resource: resource)
        if kind == .group { record.members = knownMembers(input.members ?? [], directoryID: directoryID) }
        records[key(kind, directoryID), default: []].append(record)
        return withDerived(record, includeDerived: true)
    }

    /// A resource by id; 404 when absent.
    func resource(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool) async throws -> StoredResource {
        try check()
        calls.append("get \(kind.rawValue) derived=\(includeDerived)")
        return withDerived(try record(kind, directoryID: directoryID, id: id).record, includeDerived: includeDerived)
    }

    /// PUT with the core's replace semantics.
    func replace(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        body: JSONValue,
        precondition: VersionPrecondition?,
        includeDerived: Bool
    ) async throws -> StoredResource {
        try check()
        calls.append("replace \(kind.rawValue) derived=\(includeDerived)")
        let (index, current) = try record(kind, directoryID: directoryID, id: id)
        try checkPrecondition(precondition, current.resource)
        let result = try ResourceReplacement.apply(body, to: current.resource.attributes, schema: kind.schema, resourceID: id)
        return try store(result, kind: kind, directoryID: directoryID, index: index, current: current, includeDerived: includeDerived)
    }

    /// PATCH with the core's patch engine.
    func patch(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        request: PatchRequest,
        precondition: VersionPrecondition?,
        includeDerived: Bool
    ) async throws -> StoredResource {
        try check()
        calls.append("patch \(kind.rawValue) derived=\(includeDerived)")
        let (index, current) = try record(kind, directoryID: directoryID, id: id)
        try checkPrecondition(precondition, current.resource)
        let result = try PatchEngine(schema: kind.schema).apply(request, to: current.resource.attributes, resourceID: id)
        return try store(result, kind: kind, directoryID: directoryID, index: index, current: current, includeDerived: includeDerived)
    }

    /// Deletes a resource; a deleted user leaves every group.
    func delete(_ kind: ResourceKind, directoryID: String, id: String, precondition: VersionPrecondition?) async throws {
        try check()
        calls.append("delete \(kind.rawValue)")
        let (index, current) = try record(kind, directoryID: directoryID, id: id)
        try checkPrecondition(precondition, current.resource)
        records[key(kind, directoryID)]?.remove(at: index)
        let groupsKey = key(.group, directoryID)
        for groupIndex in records[groupsKey, default: []].indices {
            records[groupsKey]?[groupIndex].members.removeAll { $0.value == id }
        }
    }

    /// One page, in creation order.
    func list(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool) async throws -> ResourcePage {
        try check()
        calls.append("list \(kind.rawValue) derived=\(includeDerived)")
        let matching = matches(kind, directoryID: directoryID, query: query)
        let page = matching.dropFirst(query.startIndex - 1).prefix(query.count)
        return ResourcePage(totalResults: matching.count, resources: page.map { withDerived($0, includeDerived: includeDerived) })
    }

    /// How many resources match.
    func count(_ kind: ResourceKind, directoryID: String, query: ListQuery) async throws -> Int {
        try check()
        calls.append("count \(kind.rawValue)")
        return matches(kind, directoryID: directoryID, query: query).count
    }

    /// No warnings are kept.
    func warnings(directoryID: String, limit: Int) async throws -> [DirectoryWarning] { [] }

    // MARK: Helpers

    private func record(_ kind: ResourceKind, directoryID: String, id: String) throws -> (index: Int, record: Record) {
        guard let index = records[key(kind, directoryID), default: []].firstIndex(where: { $0.resource.id == id }),
            let record = records[key(kind, directoryID)]?[index]
        else {
            throw SCIMError.notFound("\(kind.schema.name) \(id) not found")
        }
        return (index, record)
    }

    private func checkPrecondition(_ precondition: VersionPrecondition?, _ resource: StoredResource) throws {
        if let precondition, !precondition.isSatisfied(by: resource.etag) {
            throw SCIMError(status: 412, detail: "The resource has changed (ETag \(resource.etag)).")
        }
    }

    private func uniqueKey(_ kind: ResourceKind, _ attributes: JSONObject) -> String? {
        (kind == .user ? attributes["userName"] : attributes["displayName"])?.stringValue?.lowercased()
    }

    private func checkUnique(_ kind: ResourceKind, directoryID: String, attributes: JSONObject, except id: String?) throws {
        guard let wanted = uniqueKey(kind, attributes) else { return }
        let clash = records[key(kind, directoryID), default: []].contains {
            $0.resource.id != id && uniqueKey(kind, $0.resource.attributes) == wanted
        }
        if clash {
            throw SCIMError.uniqueness("\(kind == .user ? "userName" : "displayName") is already in use in this directory")
        }
    }

    private func knownMembers(_ members: [GroupMember], directoryID: String) -> [GroupMember] {
        let known = Set(ResourceKind.allCases.flatMap { records[key($0, directoryID), default: []].map(\.resource.id) })
        return members.filter { known.contains($0.value) }
    }

    private func store(
        _ result: PatchResult,
        kind: ResourceKind,
        directoryID: String,
        index: Int,
        current: Record,
        includeDerived: Bool
    ) throws -> StoredResource {
        try checkUnique(kind, directoryID: directoryID, attributes: result.attributes, except: current.resource.id)
        var updated = current
        updated.resource.attributes = result.attributes
        var changed = result.attributesChanged
        if kind == .group, !result.membershipChanges.isEmpty {
            var changes = result.membershipChanges
            for position in changes.indices {
                switch changes[position] {
                case .add(let members): changes[position] = .add(knownMembers(members, directoryID: directoryID))
                case .replace(let members): changes[position] = .replace(knownMembers(members, directoryID: directoryID))
                default: break
                }
            }
            let members = MembershipChange.apply(changes, to: current.members)
            if members != current.members {
                updated.members = members
                changed = true
            }
        }
        if changed {
            updated.resource.modifiedAt = tick()
            updated.resource.version += 1
        }
        records[key(kind, directoryID)]?[index] = updated
        return withDerived(updated, includeDerived: includeDerived)
    }

    private func matches(_ kind: ResourceKind, directoryID: String, query: ListQuery) -> [Record] {
        records[key(kind, directoryID), default: []].filter { record in
            guard let filter = query.filter else { return true }
            var document = record.resource.attributes
            document["id"] = .string(record.resource.id)
            return filter.matches(document, schema: kind.schema)
        }
    }

    private func withDerived(_ record: Record, includeDerived: Bool) -> StoredResource {
        var resource = record.resource
        guard includeDerived else { return resource }
        switch resource.kind {
        case .group:
            resource.derived["members"] = .array(record.members.map { $0.document() })
        case .user:
            let groups = records[key(.group, resource.directoryID), default: []].filter { $0.members.contains { $0.value == resource.id } }
            resource.derived["groups"] = .array(
                groups.map { group in
                    var entry = JSONObject()
                    entry["value"] = .string(group.resource.id)
                    if let name = group.resource.attributes["displayName"] { entry["display"] = name }
                    entry["type"] = "direct"
                    return .object(entry)
                }
            )
        }
        return resource
    }
}
