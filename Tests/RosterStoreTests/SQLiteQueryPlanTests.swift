import RosterCore
import RosterTestSupport
import SCIM
import Testing

@testable import RosterSQLite

/// What only the SQLite store has: its query plans.
@Suite("SQLite store")
struct SQLiteQueryPlanTests {
    let store: SQLiteStore
    let directory: Directory

    init() async throws {
        store = try SQLiteStore.inMemory()
        directory = try await store.createDirectory(name: "Okta", provider: .okta, tokenHash: BearerToken.hash("t"))
    }

    func json(_ text: String) throws -> JSONValue { try JSONParser().parse(text) }

    @discardableResult
    func createUser(_ userName: String, in directoryID: String? = nil, extra: String = "") async throws -> StoredResource {
        let body = try json(
            #"{"userName":"\#(userName)","name":{"givenName":"G","familyName":"F"},"emails":[{"value":"\#(userName)","type":"work","primary":true}]\#(extra)}"#
        )
        return try await store.create(.user, directoryID: directoryID ?? directory.id, input: try ResourceNormalizer.normalize(body, schema: .user))
    }

    func createGroup(_ name: String, members: [String] = []) async throws -> StoredResource {
        let list = members.map { #"{"value":"\#($0)"}"# }.joined(separator: ",")
        let body = try json(#"{"displayName":"\#(name)","members":[\#(list)]}"#)
        return try await store.create(.group, directoryID: directory.id, input: try ResourceNormalizer.normalize(body, schema: .group))
    }

    func patch(_ kind: ResourceKind, _ id: String, _ operations: String, ifMatch: String? = nil) async throws -> StoredResource {
        let request = try PatchRequest(
            parsing: try json(#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":\#(operations)}"#)
        )
        return try await store.patch(
            kind,
            directoryID: directory.id,
            id: id,
            request: request,
            precondition: VersionPrecondition(ifMatch: ifMatch),
            includeDerived: true
        )
    }

    func memberIDs(_ group: StoredResource) -> [String] {
        (group.derived["members"]?.arrayValue ?? []).compactMap { $0.objectValue?["value"]?.stringValue }
    }

    func list(_ kind: ResourceKind, _ parameters: [String: String]) async throws -> ResourcePage {
        try await store.list(kind, directoryID: directory.id, query: try ListQuery(parameters: parameters), includeDerived: false)
    }

    @Test func indexedFiltersUseAnIndex() async throws {
        let expectedIndexes = [
            #"userName eq "a@x.com""#: "scim_user_user_name",
            #"externalId eq "x""#: "scim_user_external_id",
            #"emails[type eq "work"].value eq "a@x.com""#: "scim_user_email_value",
            #"emails.value eq "a@x.com""#: "scim_user_email_value",
        ]
        for (filter, index) in expectedIndexes {
            let plan = try await store.queryPlan(.user, directoryID: directory.id, query: try ListQuery(parameters: ["filter": filter]))
            #expect(plan.contains { $0.contains(index) }, "\(filter): \(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(filter): \(plan)")
        }
        let groupPlan = try await store.queryPlan(
            .group,
            directoryID: directory.id,
            query: try ListQuery(parameters: ["filter": #"displayName eq "Eng""#])
        )
        #expect(groupPlan.contains { $0.contains("scim_group_display_name") }, "\(groupPlan)")
    }

    @Test func unfilteredPagesReadTheDirectoryInOrderWithoutSortingIt() async throws {
        for kind in [ResourceKind.user, .group] {
            let plan = try await store.queryPlan(kind, directoryID: directory.id, query: ListQuery(startIndex: 1001, count: 100))
            #expect(plan.contains { $0.contains("_created") }, "\(kind): \(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(kind): \(plan)")
        }
    }

}
