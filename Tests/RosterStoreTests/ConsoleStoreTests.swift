import RosterCore
import RosterTestSupport
import SCIM
import Testing

/// The settings pages' queries (``ConsoleStore``) through the protocol, on every store. Names mix cases,
/// punctuation and accents, so that an order taken from the database's collation instead of bytes shows.
extension StoreCase {
    /// Active and inactive users and groups are counted per directory.
    func directoryStatusCountsOneDirectory() async throws {
        let entra = try await makeEntraDirectory()
        #expect(try await store.directoryStatus(directoryID: directory.id) == DirectoryStatus(activeUsers: 0, inactiveUsers: 0, groups: 0))
        try await createUser("a@x.com")
        try await createUser("b@x.com")
        try await createUser("c@x.com", extra: #","active":false"#)
        _ = try await createGroup("Eng")
        try await createUser("d@x.com", in: entra.id, extra: #","active":false"#)
        _ = try await createGroup("Ops", members: [], in: entra.id)
        _ = try await createGroup("SRE", members: [], in: entra.id)
        #expect(try await store.directoryStatus(directoryID: directory.id) == DirectoryStatus(activeUsers: 2, inactiveUsers: 1, groups: 1))
        #expect(try await store.directoryStatus(directoryID: entra.id) == DirectoryStatus(activeUsers: 0, inactiveUsers: 1, groups: 2))
        #expect(try await store.directoryStatus(directoryID: "nope") == DirectoryStatus(activeUsers: 0, inactiveUsers: 0, groups: 0))
    }

    /// Users page by lowercased userName bytewise; a search matches userName, displayName or an email ignoring case, with `%`, `_` and `\` as plain characters.
    func userSummariesSearchLiterallyAndOrderBytewise() async throws {
        let percent = try await createUser(json: #"{"userName":"a%b@x.com","displayName":"Percent"}"#)
        let plain = try await createUser(json: #"{"userName":"axb@x.com","displayName":"Plain","emails":[{"value":"axb@x.com"}]}"#)
        let underscore = try await createUser(json: #"{"userName":"a_c@x.com","name":{"givenName":"Under","familyName":"Score"}}"#)
        let backslash = try await createUser(json: #"{"userName":"abc@x.com","displayName":"Back\\slash"}"#)
        let zoe = try await createUser(
            json:
                #"{"userName":"Zoë@x.com","displayName":"Zoë","active":false,"emails":[{"value":"Other@Mail.test"},{"value":"zoe@x.com","primary":true}]}"#
        )
        let emile = try await createUser(json: #"{"userName":"émile@x.com","name":{"formatted":"Émile Zola","givenName":"É"}}"#)
        let other = try await makeEntraDirectory()
        try await createUser("a%b-other@x.com", in: other.id)
        let beta = try await store.createTeam(name: "Beta", slug: nil)
        _ = try await store.createTeam(name: "alpha", slug: nil)
        try await store.addManualMember(team: "alpha", directoryID: directory.id, userID: zoe.id)
        try await store.addManualMember(team: beta.id, directoryID: directory.id, userID: zoe.id)
        try await store.addManualMember(team: beta.id, directoryID: directory.id, userID: plain.id)

        let everyone = try await store.userSummaries(directoryID: directory.id, search: nil, offset: 0, limit: 10)
        #expect(everyone.total == 6)
        // Bytewise by the lowercased userName: "a%" < "a_" < "ab" < "ax" < "zo" < "é" (en-US: "a_" < "a%" and "é" by "e").
        let ordered = ["a%b@x.com", "a_c@x.com", "abc@x.com", "axb@x.com", "Zoë@x.com", "émile@x.com"]
        #expect(Bytewise.sorted(ordered.map { $0.lowercased() }) == ordered.map { $0.lowercased() })
        #expect(everyone.items.map(\.userName) == ordered)
        #expect(
            everyone.items == [
                UserSummary(id: percent.id, userName: "a%b@x.com", name: "Percent", email: nil, active: true, teams: []),
                UserSummary(id: underscore.id, userName: "a_c@x.com", name: "Under Score", email: nil, active: true, teams: []),
                UserSummary(id: backslash.id, userName: "abc@x.com", name: "Back\\slash", email: nil, active: true, teams: []),
                UserSummary(id: plain.id, userName: "axb@x.com", name: "Plain", email: "axb@x.com", active: true, teams: ["Beta"]),
                UserSummary(id: zoe.id, userName: "Zoë@x.com", name: "Zoë", email: "zoe@x.com", active: false, teams: ["Beta", "alpha"]),
                UserSummary(id: emile.id, userName: "émile@x.com", name: "Émile Zola", email: nil, active: true, teams: []),
            ]
        )

        let searches: [(String?, [String])] = [
            ("%", ["a%b@x.com"]),
            ("_", ["a_c@x.com"]),
            ("\\", ["abc@x.com"]),
            ("a%B", ["a%b@x.com"]),
            ("MAIL.TEST", ["Zoë@x.com"]),
            ("Ë", ["Zoë@x.com"]),
            ("PLAIN", ["axb@x.com"]),
            ("score", []),
            ("   ", ordered),
            ("", ordered),
            (nil, ordered),
        ]
        for (search, expected) in searches {
            let page = try await store.userSummaries(directoryID: directory.id, search: search, offset: 0, limit: 10)
            #expect(page.items.map(\.userName) == expected, "search \(String(describing: search))")
            #expect(page.total == expected.count, "search \(String(describing: search))")
        }
        let middle = try await store.userSummaries(directoryID: directory.id, search: "X.COM", offset: 2, limit: 2)
        #expect(middle.total == 6)
        #expect(middle.items.map(\.userName) == ["abc@x.com", "axb@x.com"])
        #expect(try await store.userSummaries(directoryID: directory.id, search: nil, offset: 6, limit: 2) == SummaryPage(total: 6, items: []))
    }

    /// A user’s groups by lowercased name and teams by name, bytewise, each team with its manual source first, then its groups by name.
    func userDetailListsGroupsAndTeamsBytewise() async throws {
        let user = try await createUser("u@x.com")
        let loner = try await createUser("l@x.com")
        let fox = try await createGroup("Fox", members: [user.id])
        let eclair = try await createGroup("Éclair", members: [user.id])
        let eng = try await createGroup("eng", members: [user.id])
        _ = try await createGroup("Unrelated", members: [loner.id])
        let beta = try await store.createTeam(name: "Beta", slug: nil)
        let alpha = try await store.createTeam(name: "alpha", slug: nil)
        _ = try await store.map(team: "beta", groupName: "Éclair", directoryID: nil)
        _ = try await store.map(team: "beta", groupName: "eng", directoryID: nil)
        _ = try await store.map(team: "alpha", groupName: "Fox", directoryID: directory.id)
        try await store.addManualMember(team: "beta", directoryID: directory.id, userID: user.id)

        let detail = try #require(try await store.userDetail(directoryID: directory.id, userID: user.id))
        #expect(
            detail.summary == UserSummary(id: user.id, userName: "u@x.com", name: "G F", email: "u@x.com", active: true, teams: ["Beta", "alpha"])
        )
        // Groups by lowercased name, bytewise: "eng" < "fox" < "éclair" (en-US: "éclair" < "eng" < "fox").
        #expect(
            detail.groups == [
                GroupReference(id: eng.id, displayName: "eng"), GroupReference(id: fox.id, displayName: "Fox"),
                GroupReference(id: eclair.id, displayName: "Éclair"),
            ]
        )
        #expect(
            detail.teams == [
                UserTeamMembership(
                    team: beta,
                    sources: [.manual, .group(id: eng.id, displayName: "eng"), .group(id: eclair.id, displayName: "Éclair")]
                ),
                UserTeamMembership(team: alpha, sources: [.group(id: fox.id, displayName: "Fox")]),
            ]
        )
        let lonely = try #require(try await store.userDetail(directoryID: directory.id, userID: loner.id))
        #expect(lonely.groups.map(\.displayName) == ["Unrelated"] && lonely.teams.isEmpty && lonely.summary.teams.isEmpty)
        #expect(try await store.userDetail(directoryID: directory.id, userID: "nope") == nil)
        let other = try await makeEntraDirectory()
        #expect(try await store.userDetail(directoryID: other.id, userID: user.id) == nil)
    }

    /// Groups page by lowercased name bytewise with member counts and the distinct teams mapped to their exact name here or everywhere; searches are literal.
    func groupSummariesSearchLiterallyAndListMappedTeams() async throws {
        let a = try await createUser("a@x.com")
        let b = try await createUser("b@x.com")
        let other = try await makeEntraDirectory()
        for name in ["Eng", "Fox", "Éclair", "50%_off", "Ops", "Ops_x"] {
            _ = try await createGroup(name, members: name == "Eng" ? [a, b] : name == "Fox" ? [a] : [])
        }
        _ = try await createGroup("Eng", members: [], in: other.id)
        _ = try await store.createTeam(name: "Beta", slug: nil)
        _ = try await store.createTeam(name: "alpha", slug: nil)
        _ = try await store.createTeam(name: "Gamma", slug: nil)
        _ = try await store.map(team: "beta", groupName: "Eng", directoryID: nil)
        _ = try await store.map(team: "beta", groupName: "Eng", directoryID: directory.id)
        _ = try await store.map(team: "alpha", groupName: "Eng", directoryID: directory.id)
        _ = try await store.map(team: "gamma", groupName: "Eng", directoryID: other.id)
        _ = try await store.map(team: "gamma", groupName: "eng", directoryID: nil)
        _ = try await store.map(team: "gamma", groupName: "Fox", directoryID: nil)

        let all = try await store.groupSummaries(directoryID: directory.id, search: nil, offset: 0, limit: 10)
        #expect(all.total == 6)
        #expect(
            all.items.map { "\($0.displayName) \($0.memberCount) \($0.teams)" } == [
                "50%_off 0 []", "Eng 2 [\"Beta\", \"alpha\"]", "Fox 1 [\"Gamma\"]", "Ops 0 []", "Ops_x 0 []", "Éclair 0 []",
            ]
        )
        let searches: [(String, [String])] = [
            ("%", ["50%_off"]),
            ("_", ["50%_off", "Ops_x"]),
            ("%_", ["50%_off"]),
            ("s_", ["Ops_x"]),
            ("É", ["Éclair"]),
            ("O", ["50%_off", "Fox", "Ops", "Ops_x"]),
            ("\\", []),
        ]
        for (search, expected) in searches {
            let page = try await store.groupSummaries(directoryID: directory.id, search: search, offset: 0, limit: 10)
            #expect(page.items.map(\.displayName) == expected, "search \(search)")
            #expect(page.total == expected.count, "search \(search)")
        }
        let paged = try await store.groupSummaries(directoryID: directory.id, search: "o", offset: 1, limit: 2)
        #expect(paged.total == 4 && paged.items.map(\.displayName) == ["Fox", "Ops"])
        let elsewhere = try await store.groupSummaries(directoryID: other.id, search: nil, offset: 0, limit: 10)
        #expect(elsewhere.items.map(\.teams) == [["Beta", "Gamma"]])
    }

    /// Teams by name bytewise, each with its distinct mapped names in mapping order and its people (users of one email across directories) counted as active or suspended.
    func teamOverviewsCountPeopleByStatus() async throws {
        let entra = try await makeEntraDirectory()
        let ann = try await createUser("ann@x.com")
        let ann2 = try await createUser("ANN@x.com", in: entra.id, extra: #","active":false"#)
        let zoe = try await createUser("zoe@x.com", extra: #","active":false"#)
        let cid = try await createUser(json: #"{"userName":"cid"}"#)
        let dan = try await createUser(json: #"{"userName":"dan"}"#, in: entra.id)
        _ = try await createGroup("Eng", members: [ann.id, zoe.id, cid.id])
        _ = try await createGroup("Eng", members: [ann2, dan], in: entra.id)
        for name in ["Beta", "alpha", "_Ops", "Émile"] { _ = try await store.createTeam(name: name, slug: nil) }
        _ = try await store.map(team: "beta", groupName: "Eng", directoryID: directory.id)
        _ = try await store.map(team: "beta", groupName: "SRE", directoryID: nil)
        _ = try await store.map(team: "beta", groupName: "Eng", directoryID: entra.id)
        _ = try await store.map(team: "alpha", groupName: "Eng", directoryID: entra.id)
        try await store.addManualMember(team: "Émile", directoryID: directory.id, userID: zoe.id)

        let overviews = try await store.teamOverviews()
        #expect(overviews.map(\.team.name) == ["Beta", "_Ops", "alpha", "Émile"])
        // Beta: ann (active, with ann2 suspended) and cid and dan count; zoe only suspended.
        #expect(overviews.map(\.groupNames) == [["Eng", "SRE"], [], ["Eng"], []])
        #expect(overviews.map(\.memberCount) == [3, 0, 1, 0])
        #expect(overviews.map(\.suspendedCount) == [1, 0, 1, 1])
    }
}

/// The store suite's settings-page cases on each store.
@Suite("Store suite: console")
struct ConsoleStoreTests {
    @Test(arguments: StoreKind.available) func directoryStatusCountsOneDirectory(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).directoryStatusCountsOneDirectory() }
    }

    @Test(arguments: StoreKind.available) func userSummariesSearchLiterallyAndOrderBytewise(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).userSummariesSearchLiterallyAndOrderBytewise() }
    }

    @Test(arguments: StoreKind.available) func userDetailListsGroupsAndTeamsBytewise(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).userDetailListsGroupsAndTeamsBytewise() }
    }

    @Test(arguments: StoreKind.available) func groupSummariesSearchLiterallyAndListMappedTeams(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).groupSummariesSearchLiterallyAndListMappedTeams() }
    }

    @Test(arguments: StoreKind.available) func teamOverviewsCountPeopleByStatus(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).teamOverviewsCountPeopleByStatus() }
    }
}
