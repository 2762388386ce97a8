import RosterCore
import RosterTestSupport
import SCIM
import Testing

/// The read API's queries (``ReadAPIStore``) through the protocol, on every store.
extension StoreCase {
    /// Two directories and a team, for the read-API cases. Users in row order: ann (Okta), ben (Okta, deactivated,
    /// two emails), ann2 (Entra, the same person as ann), cid (Okta, no email: a person alone), dee (Entra,
    /// deactivated). Groups: Okta's Eng (ann, ben, cid) and Ops (none), Entra's Eng (ann2, dee). Builders is mapped
    /// to Eng in every directory and holds cid by hand too; Empty has no one.
    struct ReadAPIFixture {
        /// The second directory.
        var entra: Directory
        /// Okta, active.
        var ann: StoredResource
        /// Okta, deactivated, two emails.
        var ben: StoredResource
        /// Entra, the same person as ann.
        var ann2: StoredResource
        /// Okta, no email: a person alone.
        var cid: StoredResource
        /// Entra, deactivated.
        var dee: StoredResource
        /// Okta's Eng: ann, ben, cid.
        var oktaEng: StoredResource
        /// Okta's Ops, empty.
        var ops: StoredResource
        /// Entra's Eng: ann2, dee.
        var entraEng: StoredResource
        /// Mapped to Eng everywhere; cid by hand too.
        var builders: Team
        /// A team with no one.
        var empty: Team
    }

    /// Makes the ``ReadAPIFixture`` in the case’s (Okta) directory and a new Entra directory.
    func makeReadAPIFixture() async throws -> ReadAPIFixture {
        let entra = try await makeEntraDirectory()
        let ann = try await createUser(json: #"{"userName":"ann@x.com","emails":[{"value":"ann@x.com","primary":true}]}"#)
        let ben = try await createUser(
            json: #"{"userName":"ben@x.com","active":false,"emails":[{"value":"Ben.Home@Y.com"},{"value":"ben@x.com","primary":true}]}"#
        )
        let ann2 = try await createUser(json: #"{"userName":"ANN@X.COM","emails":[{"value":"Ann@x.com","type":"work"}]}"#, in: entra.id)
        let cid = try await createUser(json: #"{"userName":"cid"}"#)
        let dee = try await createUser(json: #"{"userName":"dee@x.com","active":false}"#, in: entra.id)
        let oktaEng = try await createGroup("Eng", members: [ann, ben, cid])
        let ops = try await createGroup("Ops", members: [])
        let entraEng = try await createGroup("Eng", members: [ann2, dee], in: entra.id)
        let builders = try await store.createTeam(name: "Builders", slug: nil)
        let empty = try await store.createTeam(name: "Empty", slug: nil)
        _ = try await store.map(team: "builders", groupName: "Eng", directoryID: nil)
        try await store.addManualMember(team: "builders", directoryID: directory.id, userID: cid.id)
        return ReadAPIFixture(
            entra: entra,
            ann: try await store.resource(.user, directoryID: directory.id, id: ann.id, includeDerived: false),
            ben: try await store.resource(.user, directoryID: directory.id, id: ben.id, includeDerived: false),
            ann2: try await store.resource(.user, directoryID: entra.id, id: ann2.id, includeDerived: false),
            cid: try await store.resource(.user, directoryID: directory.id, id: cid.id, includeDerived: false),
            dee: try await store.resource(.user, directoryID: entra.id, id: dee.id, includeDerived: false),
            oktaEng: oktaEng,
            ops: ops,
            entraEng: entraEng,
            builders: builders,
            empty: empty
        )
    }

    /// A stored user as the read API shows it.
    func apiUser(_ user: StoredResource, teams: [Team]) -> APIUser {
        APIUser(
            id: user.id,
            directoryID: user.directoryID,
            userName: user.attributes["userName"]?.stringValue ?? "",
            active: user.attributes["active"]?.boolValue ?? true,
            teams: teams,
            attributes: user.attributes,
            createdAt: user.createdAt,
            modifiedAt: user.modifiedAt
        )
    }

    /// Every page of users matching `filter`, `limit` at a time, as lists of userNames.
    func apiUserPages(_ filter: APIUserFilter, limit: Int) async throws -> [[String]] {
        var pages: [[String]] = []
        var cursor: Int64?
        repeat {
            let page = try await store.apiUsers(filter: filter, after: cursor, limit: limit)
            pages.append(page.items.map(\.userName))
            cursor = page.nextCursor
        } while cursor != nil && pages.count < 20
        return pages
    }

    /// Users page by row after a cursor, filtered by email (any of the user’s, ignoring case), active, team and directory, alone or together; a boundary stays when an earlier row goes.
    func apiUsersFilterAndPageByRow() async throws {
        let f = try await makeReadAPIFixture()
        #expect(try await apiUserPages(APIUserFilter(), limit: 2) == [["ann@x.com", "ben@x.com"], ["ANN@X.COM", "cid"], ["dee@x.com"]])
        #expect(try await apiUserPages(APIUserFilter(), limit: 5) == [["ann@x.com", "ben@x.com", "ANN@X.COM", "cid", "dee@x.com"]])
        #expect(try await apiUserPages(APIUserFilter(), limit: 4) == [["ann@x.com", "ben@x.com", "ANN@X.COM", "cid"], ["dee@x.com"]])
        #expect(try await apiUserPages(APIUserFilter(email: "ANN@x.com"), limit: 10) == [["ann@x.com", "ANN@X.COM"]])
        #expect(try await apiUserPages(APIUserFilter(email: "ben.home@y.com"), limit: 10) == [["ben@x.com"]], "any of the user's emails")
        #expect(try await apiUserPages(APIUserFilter(email: "ben"), limit: 10) == [[]])
        #expect(try await apiUserPages(APIUserFilter(active: false), limit: 1) == [["ben@x.com"], ["dee@x.com"]])
        #expect(try await apiUserPages(APIUserFilter(active: true), limit: 10) == [["ann@x.com", "ANN@X.COM", "cid"]])
        #expect(try await apiUserPages(APIUserFilter(team: "builders"), limit: 10) == [["ann@x.com", "ben@x.com", "ANN@X.COM", "cid", "dee@x.com"]])
        #expect(try await apiUserPages(APIUserFilter(team: "Empty"), limit: 10) == [[]])
        #expect(try await store.apiUsers(filter: APIUserFilter(team: "nope"), after: nil, limit: 10) == APIPage(items: [], nextCursor: nil))
        #expect(try await apiUserPages(APIUserFilter(directoryID: f.entra.id), limit: 10) == [["ANN@X.COM", "dee@x.com"]])
        #expect(
            try await apiUserPages(APIUserFilter(active: true, team: f.builders.id, directoryID: directory.id), limit: 10) == [["ann@x.com", "cid"]]
        )

        let first = try await store.apiUsers(filter: APIUserFilter(), after: nil, limit: 2)
        #expect(first.items == [apiUser(f.ann, teams: [f.builders]), apiUser(f.ben, teams: [f.builders])])
        let cursor = try #require(first.nextCursor)
        let second = try await store.apiUsers(filter: APIUserFilter(), after: cursor, limit: 2)
        #expect(second.items == [apiUser(f.ann2, teams: [f.builders]), apiUser(f.cid, teams: [f.builders])])
        // A page boundary does not move when an earlier row goes.
        try await store.delete(.user, directoryID: directory.id, id: f.ann.id, precondition: nil)
        #expect(try await store.apiUsers(filter: APIUserFilter(), after: cursor, limit: 2).items.map(\.id) == [f.ann2.id, f.cid.id])
    }

    /// One user by id in any directory with their teams; groups page by row, of one directory or all, with member counts.
    func apiUserAndGroupsReadAcrossDirectories() async throws {
        let f = try await makeReadAPIFixture()
        #expect(try await store.apiUser(id: f.ann2.id) == apiUser(f.ann2, teams: [f.builders]))
        #expect(try await store.apiUser(id: f.dee.id)?.membership == .suspended)
        #expect(try await store.apiUser(id: "nope") == nil)
        let loner = try await createUser(json: #"{"userName":"eve@x.com"}"#)
        #expect(try await store.apiUser(id: loner.id) == apiUser(loner, teams: []))

        var pages: [[APIGroup]] = []
        var cursor: Int64?
        repeat {
            let page = try await store.apiGroups(directoryID: nil, after: cursor, limit: 2)
            pages.append(page.items)
            cursor = page.nextCursor
        } while cursor != nil && pages.count < 10
        func group(_ stored: StoredResource, members: Int) -> APIGroup {
            APIGroup(
                id: stored.id,
                directoryID: stored.directoryID,
                displayName: stored.attributes["displayName"]?.stringValue ?? "",
                memberCount: members,
                createdAt: stored.createdAt,
                modifiedAt: stored.modifiedAt
            )
        }
        #expect(pages == [[group(f.oktaEng, members: 3), group(f.ops, members: 0)], [group(f.entraEng, members: 2)]])
        #expect(
            try await store.apiGroups(directoryID: f.entra.id, after: nil, limit: 5)
                == APIPage(items: [group(f.entraEng, members: 2)], nextCursor: nil)
        )
        let okta = try await store.apiGroups(directoryID: directory.id, after: nil, limit: 1)
        #expect(okta.items == [group(f.oktaEng, members: 3)])
        #expect(try await store.apiGroups(directoryID: directory.id, after: okta.nextCursor, limit: 1).items == [group(f.ops, members: 0)])
        #expect(try await store.apiGroups(directoryID: "nope", after: nil, limit: 5) == APIPage(items: [], nextCursor: nil))
    }

    /// A team’s people: users of one email across directories are one person keyed by their first row, with active and suspended memberships and each user’s sources.
    func apiTeamMembersGroupPeopleAcrossDirectories() async throws {
        let f = try await makeReadAPIFixture()
        let eng = TeamMembershipSource.group(id: f.oktaEng.id, displayName: "Eng")
        let entraEng = TeamMembershipSource.group(id: f.entraEng.id, displayName: "Eng")
        let first = try #require(try await store.apiTeamMembers(team: "builders", after: nil, limit: 2))
        #expect(
            first.items == [
                APITeamPerson(
                    email: "ann@x.com",
                    members: [
                        APITeamMembership(user: apiUser(f.ann, teams: [f.builders]), sources: [eng]),
                        APITeamMembership(user: apiUser(f.ann2, teams: [f.builders]), sources: [entraEng]),
                    ]
                ),
                APITeamPerson(email: "ben@x.com", members: [APITeamMembership(user: apiUser(f.ben, teams: [f.builders]), sources: [eng])]),
            ]
        )
        #expect(first.items.map(\.membership) == [.active, .suspended])
        let second = try #require(try await store.apiTeamMembers(team: f.builders.id, after: first.nextCursor, limit: 2))
        #expect(
            second.items == [
                APITeamPerson(email: nil, members: [APITeamMembership(user: apiUser(f.cid, teams: [f.builders]), sources: [.manual, eng])]),
                APITeamPerson(email: "dee@x.com", members: [APITeamMembership(user: apiUser(f.dee, teams: [f.builders]), sources: [entraEng])]),
            ]
        )
        #expect(second.nextCursor == nil)
        #expect(second.items.map(\.membership) == [.active, .suspended])
        #expect(try await store.apiTeamMembers(team: "Builders", after: nil, limit: 10)?.items.count == 4)
        #expect(try await store.apiTeamMembers(team: "empty", after: nil, limit: 10) == APIPage(items: [], nextCursor: nil))
        #expect(try await store.apiTeamMembers(team: "nope", after: nil, limit: 10) == nil)

        // The person with the first row gone from the team: the next of their rows keys them.
        _ = try await patch(.group, f.oktaEng.id, #"[{"op":"remove","path":"members[value eq \"\#(f.ann.id)\"]"}]"#)
        let after = try #require(try await store.apiTeamMembers(team: "builders", after: nil, limit: 10))
        #expect(after.items.map { $0.members.map(\.user.id) } == [[f.ben.id], [f.ann2.id], [f.cid.id], [f.dee.id]])
    }

    /// Removing a manual membership keeps group-sourced ones and announces only an effective leave.
    func removingAManualMemberKeepsGroupMemberships() async throws {
        let f = try await makeReadAPIFixture()
        let extra = try await createUser(json: #"{"userName":"fay@x.com"}"#)
        try await store.addManualMember(team: "builders", directoryID: directory.id, userID: extra.id)
        let mark = try await lastSequence()
        #expect(try await store.removeManualMember(team: "builders", userID: f.cid.id))
        #expect(try await store.removeManualMember(team: "builders", userID: f.cid.id) == false, "already removed")
        #expect(try await store.removeManualMember(team: "Builders", userID: f.ann.id) == false, "held by a group only")
        #expect(try await store.removeManualMember(team: "nope", userID: extra.id) == false)
        #expect(try await store.removeManualMember(team: "builders", userID: "nope") == false)
        #expect(try await eventLines(after: mark).isEmpty, "cid stays through Eng")
        #expect(try await store.removeManualMember(team: f.builders.id, userID: extra.id))
        #expect(try await eventLines(after: mark) == ["team.member_removed builders \(extra.id)"])
        let members = try await store.teamMembers("builders")
        #expect(members.map(\.userID) == [f.ann.id, f.ben.id, f.ann2.id, f.cid.id, f.dee.id])
        #expect(members.first { $0.userID == f.cid.id }?.sources == [.group(id: f.oktaEng.id, displayName: "Eng")])
    }
}

/// The store suite's read-API cases on each store.
@Suite("Store suite: read API")
struct ReadAPIStoreTests {
    @Test(arguments: StoreKind.available) func apiUsersFilterAndPageByRow(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).apiUsersFilterAndPageByRow() }
    }

    @Test(arguments: StoreKind.available) func apiUserAndGroupsReadAcrossDirectories(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).apiUserAndGroupsReadAcrossDirectories() }
    }

    @Test(arguments: StoreKind.available) func apiTeamMembersGroupPeopleAcrossDirectories(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).apiTeamMembersGroupPeopleAcrossDirectories() }
    }

    @Test(arguments: StoreKind.available) func removingAManualMemberKeepsGroupMemberships(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).removingAManualMemberKeepsGroupMemberships() }
    }
}
