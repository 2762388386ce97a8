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
