import RosterCore
import RosterTestSupport
import SCIM
import Testing

/// One store-suite case: a fresh store of either kind with one Okta directory, and the helpers the cases share.
/// The cases are its methods; ``StoreSuiteTests`` runs each against SQLite and PostgreSQL.
struct StoreCase {
    let store: any RosterStorage
    let directory: Directory

    init(store: any RosterStorage) async throws {
        self.store = store
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

    func createsReadsAndDefaultsActive() async throws {
        let user = try await createUser("Jane@Example.com")
        #expect(user.attributes["active"] == true)
        #expect(user.version == 1)
        let read = try await store.resource(.user, directoryID: directory.id, id: user.id, includeDerived: true)
        #expect(read.attributes["userName"] == "Jane@Example.com")
    }

    func userNameIsUniqueIgnoringCase() async throws {
        try await createUser("jane@example.com")
        let error = await #expect(throws: SCIMError.self) { try await createUser("JANE@example.com") }
        #expect(error?.scimType == .uniqueness)
        #expect(error?.status == 409)
    }

    func groupDisplayNameIsUniqueIgnoringCase() async throws {
        _ = try await createGroup("Engineering")
        let error = await #expect(throws: SCIMError.self) { try await createGroup("engineering") }
        #expect(error?.status == 409)
    }

    func directoriesAreIsolated() async throws {
        let other = try await store.createDirectory(name: "Entra", provider: .azure, tokenHash: BearerToken.hash("u"))
        let user = try await createUser("a@x.com", in: other.id)
        await #expect(throws: SCIMError.notFound("User \"\(user.id)\" not found")) {
            try await store.resource(.user, directoryID: directory.id, id: user.id, includeDerived: false)
        }
        #expect(try await list(.user, [:]).totalResults == 0)
        try await createUser("a@x.com")
    }

    func membershipChangesTouchOnlyNamedMembers() async throws {
        let a = try await createUser("a@x.com")
        let b = try await createUser("b@x.com")
        let c = try await createUser("c@x.com")
        let group = try await createGroup("Eng", members: [a.id, b.id])
        #expect(memberIDs(group) == [a.id, b.id])
        let okta = try await patch(
            .group,
            group.id,
            #"[{"op":"remove","path":"members[value eq \"\#(a.id)\"]"},{"op":"add","path":"members","value":[{"value":"\#(c.id)"}]}]"#
        )
        #expect(memberIDs(okta) == [b.id, c.id])
        let entra = try await patch(.group, group.id, #"[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"\#(b.id)"}]}]"#)
        #expect(memberIDs(entra) == [c.id])
        let replaced = try await patch(.group, group.id, #"[{"op":"replace","path":"members","value":[{"value":"\#(a.id)"},{"value":"\#(b.id)"}]}]"#)
        #expect(memberIDs(replaced) == [a.id, b.id])
        let emptied = try await patch(.group, group.id, #"[{"op":"replace","path":"members","value":[]}]"#)
        #expect(memberIDs(emptied).isEmpty)
        #expect(emptied.version == 5)
    }

    func membersAndGroupsRenderWithReferences() async throws {
        let a = try await createUser("a@x.com")
        let group = try await createGroup("Eng", members: [a.id])
        let base = "https://roster.example/api/scim/v2.0/\(directory.id)"
        let members = group.representation(baseURL: "https://roster.example/")["members"]
        #expect(members == .array([.object(JSONObject([("value", .string(a.id)), ("$ref", .string("\(base)/Users/\(a.id)")), ("type", "User")]))]))
        let user = try await store.resource(.user, directoryID: directory.id, id: a.id, includeDerived: true)
        let groups = user.representation(baseURL: "https://roster.example")["groups"]?.arrayValue?.first?.objectValue
        #expect(groups?["$ref"] == .string("\(base)/Groups/\(group.id)"))
        #expect(groups?["display"] == "Eng")
        let empty = try await createGroup("Empty")
        #expect(empty.representation(baseURL: "https://roster.example")["members"] == [])
    }

    func unknownMemberIdsAreSkippedAndRecorded() async throws {
        let a = try await createUser("a@x.com")
        let group = try await createGroup("Eng")
        let patched = try await patch(.group, group.id, #"[{"op":"add","path":"members","value":[{"value":"fake-member-id"},{"value":"\#(a.id)"}]}]"#)
        #expect(memberIDs(patched) == [a.id])
        let warnings = try await store.warnings(directoryID: directory.id, limit: 10)
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("fake-member-id") == true)
    }

    func noRealChangeKeepsVersionAndLastModified() async throws {
        let a = try await createUser("a@x.com")
        let group = try await createGroup("Eng", members: [a.id])
        let same = try await patch(
            .group,
            group.id,
            #"[{"op":"replace","value":{"id":"\#(group.id)","displayName":"Eng"}},{"op":"add","path":"members","value":[{"value":"\#(a.id)"}]}]"#
        )
        #expect(same.version == group.version)
        #expect(same.modifiedAt == group.modifiedAt)
        let user = try await patch(.user, a.id, #"[{"op":"replace","value":{"active":true}}]"#)
        #expect(user.version == a.version)
    }

    func staleIfMatchIsPreconditionFailed() async throws {
        let a = try await createUser("a@x.com")
        _ = try await patch(.user, a.id, #"[{"op":"replace","path":"title","value":"CTO"}]"#, ifMatch: a.etag)
        let error = await #expect(throws: SCIMError.self) {
            try await patch(.user, a.id, #"[{"op":"replace","path":"title","value":"CEO"}]"#, ifMatch: a.etag)
        }
        #expect(error?.status == 412)
    }

    func deletedUserLeavesEveryGroup() async throws {
        let a = try await createUser("a@x.com")
        let b = try await createUser("b@x.com")
        let group = try await createGroup("Eng", members: [a.id, b.id])
        try await store.delete(.user, directoryID: directory.id, id: a.id, precondition: nil)
        let read = try await store.resource(.group, directoryID: directory.id, id: group.id, includeDerived: true)
        #expect(memberIDs(read) == [b.id])
        let user = try await store.resource(.user, directoryID: directory.id, id: b.id, includeDerived: true)
        #expect(user.derived["groups"]?.arrayValue?.first?.objectValue?["value"] == .string(group.id))
    }

    func deletingADirectoryAnnouncesItsUsersLeavingTheirTeams() async throws {
        let a = try await createUser("a@x.com")
        _ = try await createGroup("Eng", members: [a.id])
        let team = try await store.createTeam(name: "Builders", slug: nil)
        _ = try await store.map(team: team.slug, groupName: "Eng", directoryID: nil)
        let before = try await store.events(after: 0, limit: 1000).last?.sequence ?? 0
        #expect(try await store.deleteDirectory(id: directory.id))
        let events = try await store.events(after: before, limit: 100)
        #expect(events.map(\.type) == ["team.member_removed"])
        #expect(events.first?.data.objectValue?["user"]?.objectValue?["id"] == .string(a.id))
        #expect(try await store.teamMembers(team.slug).isEmpty)
    }

    func aReplacedOrDeletedTokenStopsAtOnce() async throws {
        let original = try #require(try await store.tokenHash(directoryID: directory.id))
        #expect(try await store.tokenHash(directoryID: directory.id) == original)
        let replacement = [UInt8](repeating: 7, count: 32)
        #expect(try await store.replaceTokenHash(directoryID: directory.id, tokenHash: replacement))
        #expect(try await store.tokenHash(directoryID: directory.id) == replacement)
        #expect(try await store.deleteDirectory(id: directory.id))
        #expect(try await store.tokenHash(directoryID: directory.id) == nil)
    }

    func oktaOneMemberSwapKeepsTeamsAndEventsInOrder() async throws {
        let a = try await createUser("a@x.com")
        let b = try await createUser("b@x.com")
        let c = try await createUser("c@x.com")
        let group = try await createGroup("Eng", members: [a.id, b.id])
        let team = try await store.createTeam(name: "Builders", slug: nil)
        _ = try await store.map(team: team.slug, groupName: "Eng", directoryID: nil)
        var before = try await store.events(after: 0, limit: 1000).last?.sequence ?? 0
        let swap =
            #"[{"op":"remove","path":"members[value eq \"\#(a.id)\"]"},{"op":"add","path":"members","value":[{"value":"\#(c.id)"},{"value":"nobody"}]}]"#
        let swapped = try await patch(.group, group.id, swap)
        #expect(memberIDs(swapped) == [b.id, c.id])
        #expect(swapped.version == group.version + 1)
        var events = try await store.events(after: before, limit: 100)
        #expect(events.map(\.type) == ["group.member_removed", "team.member_removed", "group.member_added", "team.member_added"])
        #expect(events.map { $0.data.objectValue?["user"]?.objectValue?["id"] } == [.string(a.id), .string(a.id), .string(c.id), .string(c.id)])
        #expect(Set(try await store.teamMembers(team.slug).map(\.userID)) == [b.id, c.id])
        // The same user removed and added in one PATCH: applied in turn, they leave and join again.
        before = events.last?.sequence ?? before
        let again = try await patch(
            .group,
            group.id,
            #"[{"op":"remove","path":"members[value eq \"\#(b.id)\"]"},{"op":"add","path":"members","value":[{"value":"\#(b.id)"}]}]"#
        )
        #expect(memberIDs(again) == [b.id, c.id])
        events = try await store.events(after: before, limit: 100)
        #expect(events.map(\.type) == ["group.member_removed", "team.member_removed", "group.member_added", "team.member_added"])
        #expect(Set(try await store.teamMembers(team.slug).map(\.userID)) == [b.id, c.id])
    }

    func concurrentPatchesOfOneGroupLoseNothing() async throws {
        var users: [StoredResource] = []
        for index in 0..<40 { users.append(try await createUser("u\(index)@x.com")) }
        let group = try await createGroup("Eng")
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for user in users {
                tasks.addTask { _ = try await patch(.group, group.id, #"[{"op":"add","path":"members","value":[{"value":"\#(user.id)"}]}]"#) }
            }
            try await tasks.waitForAll()
        }
        let read = try await store.resource(.group, directoryID: directory.id, id: group.id, includeDerived: true)
        #expect(Set(memberIDs(read)) == Set(users.map(\.id)))
    }

    func indexedFiltersAndFallbackFiltersAgree() async throws {
        try await createUser("Alice@Example.com", extra: #","externalId":"ext-1","title":"Engineer""#)
        try await createUser("bob@example.org", extra: #","externalId":"EXT-2","active":false"#)
        try await createUser("carol@example.com", extra: #","title":"Manager""#)
        let cases: [(String, [String])] = [
            (#"userName eq "alice@example.com""#, ["Alice@Example.com"]),
            (#"externalId eq "ext-1""#, ["Alice@Example.com"]),
            (#"externalId eq "EXT-1""#, []),
            (#"emails[type eq "work"].value eq "BOB@example.org""#, ["bob@example.org"]),
            (#"emails co "example.com""#, ["Alice@Example.com", "carol@example.com"]),
            (#"active eq false"#, ["bob@example.org"]),
            (#"not (active eq false) and userName sw "c""#, ["carol@example.com"]),
            (#"title co "engin""#, ["Alice@Example.com"]),
            (#"title pr or externalId eq "EXT-2""#, ["Alice@Example.com", "bob@example.org", "carol@example.com"]),
            (#"externalId pr and not (title pr)"#, ["bob@example.org"]),
            (#"name.givenName eq "g" and userName ew ".org""#, ["bob@example.org"]),
        ]
        for (filter, expected) in cases {
            let page = try await list(.user, ["filter": filter])
            #expect(page.resources.compactMap { $0.attributes["userName"]?.stringValue } == expected, "\(filter)")
            #expect(page.totalResults == expected.count, "\(filter)")
        }
    }

    func pagesAreStableAndSortable() async throws {
        for name in ["d", "b", "a", "c", "e"] { try await createUser("\(name)@x.com", extra: #","title":"\#(name.uppercased())""#) }
        let first = try await list(.user, ["startIndex": "1", "count": "2"])
        let second = try await list(.user, ["startIndex": "3", "count": "2"])
        #expect(first.totalResults == 5)
        #expect((first.resources + second.resources).map(\.attributes["userName"]) == ["d@x.com", "b@x.com", "a@x.com", "c@x.com"])
        let none = try await list(.user, ["count": "0"])
        #expect(none.totalResults == 5 && none.resources.isEmpty)
        let sorted = try await list(.user, ["sortBy": "userName", "sortOrder": "descending", "count": "2"])
        #expect(sorted.resources.map(\.attributes["userName"]) == ["e@x.com", "d@x.com"])
        let byTitle = try await list(.user, ["sortBy": "title", "startIndex": "2", "count": "2"])
        #expect(byTitle.resources.map(\.attributes["userName"]) == ["b@x.com", "c@x.com"])
    }

    func longChainsAndDeepNestingStayWithinSQLiteLimits() async throws {
        try await createUser("a@x.com")
        try await createUser("b@x.com")
        var alternating = "id pr"
        for level in 0..<31 { alternating = level % 2 == 0 ? "not (id pr and \(alternating))" : "(id pr or \(alternating))" }
        var anded = #"userName eq "a@x.com""#
        for _ in 0..<31 { anded = "(id pr and \(anded))" }
        let cases: [(filter: String, expected: Int)] = [
            // 910 comparisons: once 910 nested parentheses, which SQLite's parser stack refused (a 500).
            (Array(repeating: "id pr", count: 910).joined(separator: " or "), 2),
            ((0..<250).map { #"emails.value eq "u\#($0)@x.com""# }.joined(separator: " or ") + #" or emails.value eq "b@x.com""#, 1),
            ((0..<300).map { #"userName eq "u\#($0)""# }.joined(separator: " or "), 0),
            // 31 levels the filter grammar allows, nesting too deep for SQL: evaluated in memory instead.
            (alternating, 0),
            (anded, 1),
        ]
        for (filter, expected) in cases {
            let query = try ListQuery(parameters: ["filter": filter])
            let page = try await store.list(.user, directoryID: directory.id, query: query, includeDerived: false)
            #expect(page.totalResults == expected, "\(filter.prefix(60))…")
        }
    }
    /// The same value with every object's members sorted by key: JSON gives member order no meaning.
    func unordered(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object): .object(JSONObject(object.members.sorted { $0.key < $1.key }.map { ($0.key, unordered($0.value)) }))
        case .array(let elements): .array(elements.map(unordered))
        default: value
        }
    }

    func responsesAreSplicedFromTheStoredDocument() async throws {
        let user = try await createUser(
            "wire@example.com",
            extra: #","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D"}"#
        )
        let group = try await createGroup("Wire", members: [user.id])
        #expect(user.wireDocument != nil && group.wireDocument != nil)
        for (kind, id) in [(ResourceKind.user, user.id), (.group, group.id)] {
            let parsed = try await store.resource(kind, directoryID: directory.id, id: id, includeDerived: true)
            let forResponse = try await store.resourceForResponse(kind, directoryID: directory.id, id: id, includeDerived: true)
            #expect(forResponse.wireDocument != nil)
            #expect(forResponse.attributes.isEmpty, "a response read leaves the document unparsed")
            var spliced: [UInt8] = []
            forResponse.writeDefaultRepresentation(baseURL: "https://roster.example", to: &spliced)
            let rendered = AttributeProjection().apply(to: parsed.representation(baseURL: "https://roster.example"), schema: kind.schema)
            #expect(unordered(try JSONParser().parse(spliced)) == unordered(.object(rendered)))
            #expect(!parsed.attributes.isEmpty && parsed.attributes["schemas"] == nil, "parsed attributes never carry schemas")
        }
        let page = try await store.listForResponse(.user, directoryID: directory.id, query: try ListQuery(parameters: [:]), includeDerived: true)
        #expect(page.totalResults == 1)
        #expect(page.resources.allSatisfy { $0.wireDocument != nil && $0.derived["groups"] != nil })
        // The userName filter an IdP sends before each create, whatever the case, paged as any list.
        for (parameters, total, returned) in [
            (["filter": #"userName eq "WIRE@example.com""#], 1, 1), (["filter": #"username eq "wire@example.com""#], 1, 1),
            (["filter": #"userName eq "nobody@example.com""#], 0, 0), (["filter": #"userName eq "wire@example.com""#, "startIndex": "2"], 1, 0),
            (["filter": #"userName eq "wire@example.com""#, "count": "0"], 1, 0),
            // A NUL ends a literal in both stores (PostgreSQL cannot bind one): the name before it is looked up.
            (["filter": "userName eq \"wire@example.com\u{0}x\""], 1, 1), (["filter": "userName eq \"nobody\u{0}\""], 0, 0),
        ] {
            let query = try ListQuery(parameters: parameters)
            let fast = try await store.listForResponse(.user, directoryID: directory.id, query: query, includeDerived: true)
            let slow = try await store.list(.user, directoryID: directory.id, query: query, includeDerived: true)
            #expect(fast.totalResults == total && slow.totalResults == total, "\(parameters)")
            #expect(fast.resources.map(\.id) == slow.resources.map(\.id) && fast.resources.count == returned, "\(parameters)")
            #expect(fast.resources.map(\.derived) == slow.resources.map(\.derived), "\(parameters)")
        }
        let patched = try await patch(.user, user.id, #"[{"op":"replace","path":"title","value":"Lead"}]"#)
        let document = try #require(patched.wireDocument)
        #expect(try JSONParser().parse(document).objectValue?["title"] == "Lead", "a changed resource answers from the document it stored")
        #expect(patched.attributes["title"] == "Lead")
    }

    func countsFollowEveryWrite() async throws {
        let total = { (kind: ResourceKind) in try await self.list(kind, [:]).totalResults }
        let status = { try await self.store.directoryStatus(directoryID: self.directory.id) }
        var users: [StoredResource] = []
        for index in 0..<5 { users.append(try await createUser("u\(index)@example.com")) }
        let group = try await createGroup("Counted", members: users.map(\.id))
        _ = try await createGroup("Other")
        #expect(try await total(.user) == 5)
        #expect(try await total(.group) == 2)
        _ = try await patch(.user, users[0].id, #"[{"op":"replace","value":{"active":false}}]"#)
        _ = try await patch(.user, users[1].id, #"[{"op":"replace","path":"active","value":"False"}]"#)
        _ = try await patch(.user, users[1].id, #"[{"op":"replace","path":"active","value":false}]"#)
        var counts = try await status()
        #expect(counts.activeUsers == 3 && counts.inactiveUsers == 2 && counts.groups == 2)
        try await store.delete(.user, directoryID: directory.id, id: users[0].id, precondition: nil)
        try await store.delete(.group, directoryID: directory.id, id: group.id, precondition: nil)
        counts = try await status()
        #expect(counts.activeUsers == 3 && counts.inactiveUsers == 1 && counts.groups == 1)
        #expect(try await total(.user) == 4)
        #expect(try await total(.group) == 1)
        // A failed write counts nothing: the count moves in the write's own transaction.
        _ = try? await createUser("u1@example.com")
        #expect(try await total(.user) == 4)
        // Another directory's writes and deletion leave this one's counts alone; a deleted directory counts nothing.
        let other = try await store.createDirectory(name: "Other", provider: .okta, tokenHash: BearerToken.hash("o"))
        for index in 0..<3 { try await createUser("o\(index)@example.com", in: other.id) }
        #expect(try await store.directoryStatus(directoryID: other.id).activeUsers == 3)
        #expect(try await store.deleteDirectory(id: other.id))
        #expect(try await store.directoryStatus(directoryID: other.id).activeUsers == 0)
        #expect(try await total(.user) == 4)
        // The same as counting the rows.
        let filtered = try await list(.user, ["filter": "userName sw \"u\""]).totalResults
        #expect(filtered == 4)
    }

    func concurrentCreatesAreAllCounted() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 { group.addTask { try await self.createUser("c\(index)@example.com") } }
            try await group.waitForAll()
        }
        #expect(try await list(.user, [:]).totalResults == 40)
        #expect(try await store.directoryStatus(directoryID: directory.id).activeUsers == 40)
    }

}

/// The store suite: every case of ``StoreCase`` against SQLite and against PostgreSQL, from the same code, so the
/// two stores cannot drift.
@Suite("Store suite")
struct StoreSuiteTests {
    @Test(arguments: StoreKind.available) func createsReadsAndDefaultsActive(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).createsReadsAndDefaultsActive() }
    }

    @Test(arguments: StoreKind.available) func responsesAreSplicedFromTheStoredDocument(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).responsesAreSplicedFromTheStoredDocument() }
    }

    @Test(arguments: StoreKind.available) func countsFollowEveryWrite(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).countsFollowEveryWrite() }
    }

    @Test(arguments: StoreKind.available) func concurrentCreatesAreAllCounted(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).concurrentCreatesAreAllCounted() }
    }

    @Test(arguments: StoreKind.available) func userNameIsUniqueIgnoringCase(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).userNameIsUniqueIgnoringCase() }
    }

    @Test(arguments: StoreKind.available) func groupDisplayNameIsUniqueIgnoringCase(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).groupDisplayNameIsUniqueIgnoringCase() }
    }

    @Test(arguments: StoreKind.available) func directoriesAreIsolated(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).directoriesAreIsolated() }
    }

    @Test(arguments: StoreKind.available) func membershipChangesTouchOnlyNamedMembers(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).membershipChangesTouchOnlyNamedMembers() }
    }

    @Test(arguments: StoreKind.available) func membersAndGroupsRenderWithReferences(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).membersAndGroupsRenderWithReferences() }
    }

    @Test(arguments: StoreKind.available) func unknownMemberIdsAreSkippedAndRecorded(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).unknownMemberIdsAreSkippedAndRecorded() }
    }

    @Test(arguments: StoreKind.available) func noRealChangeKeepsVersionAndLastModified(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).noRealChangeKeepsVersionAndLastModified() }
    }

    @Test(arguments: StoreKind.available) func staleIfMatchIsPreconditionFailed(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).staleIfMatchIsPreconditionFailed() }
    }

    @Test(arguments: StoreKind.available) func deletedUserLeavesEveryGroup(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).deletedUserLeavesEveryGroup() }
    }

    @Test(arguments: StoreKind.available) func deletingADirectoryAnnouncesItsUsersLeavingTheirTeams(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).deletingADirectoryAnnouncesItsUsersLeavingTheirTeams() }
    }

    @Test(arguments: StoreKind.available) func aReplacedOrDeletedTokenStopsAtOnce(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).aReplacedOrDeletedTokenStopsAtOnce() }
    }

    @Test(arguments: StoreKind.available) func oktaOneMemberSwapKeepsTeamsAndEventsInOrder(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).oktaOneMemberSwapKeepsTeamsAndEventsInOrder() }
    }

    @Test(arguments: StoreKind.available) func concurrentPatchesOfOneGroupLoseNothing(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).concurrentPatchesOfOneGroupLoseNothing() }
    }

    @Test(arguments: StoreKind.available) func indexedFiltersAndFallbackFiltersAgree(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).indexedFiltersAndFallbackFiltersAgree() }
    }

    @Test(arguments: StoreKind.available) func pagesAreStableAndSortable(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).pagesAreStableAndSortable() }
    }

    @Test(arguments: StoreKind.available) func longChainsAndDeepNestingStayWithinSQLiteLimits(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).longChainsAndDeepNestingStayWithinSQLiteLimits() }
    }
}
