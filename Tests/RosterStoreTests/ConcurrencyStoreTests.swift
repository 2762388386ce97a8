import RosterCore
import RosterTestSupport
import SCIM
import Testing

/// Concurrent writers through the protocol, on every store. SQLite serializes writes; PostgreSQL runs them at once
/// on several connections, so these catch lost updates, duplicate events and uniqueness races there.
extension StoreCase {
    /// Twenty user attributes, each set by its own PATCH: its path and the value set.
    static let concurrentAttributes: [(path: String, value: String)] = [
        ("displayName", "Display"), ("nickName", "Nick"), ("profileUrl", "https://example.com/p"), ("title", "CTO"),
        ("userType", "Employee"), ("preferredLanguage", "en"), ("locale", "en-US"), ("timezone", "Europe/Paris"),
        ("externalId", "ext-9"), ("name.formatted", "Ms G2 F2"), ("name.familyName", "F2"), ("name.givenName", "G2"),
        ("name.middleName", "M"), ("name.honorificPrefix", "Ms"), ("name.honorificSuffix", "III"),
        ("\(SCIMSchemaURN.enterpriseUser):employeeNumber", "42"), ("\(SCIMSchemaURN.enterpriseUser):costCenter", "CC"),
        ("\(SCIMSchemaURN.enterpriseUser):organization", "Org"), ("\(SCIMSchemaURN.enterpriseUser):division", "Div"),
        ("\(SCIMSchemaURN.enterpriseUser):department", "Dept"),
    ]

    /// The string at a PATCH path (`a`, `a.b` or `urn…:a`) of a SCIM representation.
    static func value(at path: String, in representation: JSONObject) -> String? {
        if path.hasPrefix(SCIMSchemaURN.enterpriseUser + ":") {
            let name = String(path.dropFirst(SCIMSchemaURN.enterpriseUser.count + 1))
            return representation[SCIMSchemaURN.enterpriseUser]?.objectValue?[name]?.stringValue
        }
        let parts = path.split(separator: ".").map(String.init)
        guard parts.count == 2 else { return representation[path]?.stringValue }
        return representation[parts[0]]?.objectValue?[parts[1]]?.stringValue
    }

    /// Twenty PATCHes of one user, each of another attribute, at once: every change is kept and counted (version 21), with one `user.updated` each.
    func concurrentPatchesOfOneUsersAttributesAreEachApplied() async throws {
        for round in 0..<3 {
            let user = try await createUser("u\(round)@x.com")
            let mark = try await lastSequence()
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for attribute in Self.concurrentAttributes {
                    tasks.addTask {
                        _ = try await patch(.user, user.id, #"[{"op":"replace","path":"\#(attribute.path)","value":"\#(attribute.value)"}]"#)
                    }
                }
                try await tasks.waitForAll()
            }
            let read = try await store.resource(.user, directoryID: directory.id, id: user.id, includeDerived: false)
            #expect(read.version == 1 + Int64(Self.concurrentAttributes.count), "round \(round): no update lost")
            let representation = read.representation(baseURL: "")
            for attribute in Self.concurrentAttributes {
                #expect(Self.value(at: attribute.path, in: representation) == attribute.value, "round \(round): \(attribute.path)")
            }
            let events = try await store.events(after: mark, limit: 100)
            #expect(events.map(\.type) == Array(repeating: "user.updated", count: Self.concurrentAttributes.count), "round \(round)")
            #expect(events.allSatisfy { $0.previousAttributes?.objectValue?.keys.count == 1 }, "round \(round): one change each")
        }
    }

    /// A user added to two groups mapped to one team at once joins the team with one `team.member_added`, and, removed from both at once, leaves with one `team.member_removed`.
    func concurrentJoinsThroughTwoMappedGroupsAnnounceOnce() async throws {
        let first = try await createGroup("Alpha")
        let second = try await createGroup("Beta")
        let team = try await store.createTeam(name: "Builders", slug: nil)
        _ = try await store.map(team: "builders", groupName: "Alpha", directoryID: nil)
        _ = try await store.map(team: "builders", groupName: "Beta", directoryID: nil)
        for round in 0..<10 {
            let user = try await createUser("u\(round)@x.com")
            var mark = try await lastSequence()
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for group in [first, second] {
                    tasks.addTask { _ = try await patch(.group, group.id, #"[{"op":"add","path":"members","value":[{"value":"\#(user.id)"}]}]"#) }
                }
                try await tasks.waitForAll()
            }
            var events = try await store.events(after: mark, limit: 100)
            #expect(events.filter { $0.type == "team.member_added" }.count == 1, "round \(round): joined once")
            #expect(events.filter { $0.type == "group.member_added" }.count == 2, "round \(round)")
            #expect(events.filter { $0.type == "team.member_added" }.allSatisfy { $0.resourceID == team.id }, "round \(round)")
            let member = try await store.teamMembers("builders").first { $0.userID == user.id }
            #expect(member?.sources == [.group(id: first.id, displayName: "Alpha"), .group(id: second.id, displayName: "Beta")], "round \(round)")

            mark = try await lastSequence()
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for group in [first, second] {
                    tasks.addTask { _ = try await patch(.group, group.id, #"[{"op":"remove","path":"members[value eq \"\#(user.id)\"]"}]"#) }
                }
                try await tasks.waitForAll()
            }
            events = try await store.events(after: mark, limit: 100)
            #expect(events.filter { $0.type == "team.member_removed" }.count == 1, "round \(round): left once")
            #expect(events.filter { $0.type == "group.member_removed" }.count == 2, "round \(round)")
            #expect(try await store.teamMembers("builders").isEmpty, "round \(round)")
        }
    }

    /// Two creates of one userName (in two cases) at once: one user is created, the other gets a 409 `uniqueness`.
    func concurrentCreatesOfOneUserNameGiveOneConflict() async throws {
        for round in 0..<5 {
            let results = await withTaskGroup(of: Result<StoredResource, any Error>.self) { tasks in
                for userName in ["dup\(round)@x.com", "DUP\(round)@x.com"] {
                    tasks.addTask {
                        do { return .success(try await createUser(userName)) } catch { return .failure(error) }
                    }
                }
                var results: [Result<StoredResource, any Error>] = []
                for await result in tasks { results.append(result) }
                return results
            }
            let created = results.compactMap { try? $0.get() }
            let errors = results.compactMap { result -> SCIMError? in
                if case .failure(let error) = result { return error as? SCIMError }
                return nil
            }
            #expect(created.count == 1, "round \(round): \(results)")
            #expect(errors.count == 1, "round \(round): \(results)")
            #expect(errors.first?.status == 409, "round \(round)")
            #expect(errors.first?.scimType == .uniqueness, "round \(round)")
            #expect(try await list(.user, ["filter": #"userName eq "dup\#(round)@x.com""#]).totalResults == 1, "round \(round)")
        }
    }
}

/// The store suite's concurrency cases on each store.
@Suite("Store suite: concurrent writers")
struct ConcurrencyStoreTests {
    @Test(arguments: StoreKind.available) func concurrentPatchesOfOneUsersAttributesAreEachApplied(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).concurrentPatchesOfOneUsersAttributesAreEachApplied() }
    }

    @Test(arguments: StoreKind.available) func concurrentJoinsThroughTwoMappedGroupsAnnounceOnce(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).concurrentJoinsThroughTwoMappedGroupsAnnounceOnce() }
    }

    @Test(arguments: StoreKind.available) func concurrentCreatesOfOneUserNameGiveOneConflict(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).concurrentCreatesOfOneUserNameGiveOneConflict() }
    }
}
