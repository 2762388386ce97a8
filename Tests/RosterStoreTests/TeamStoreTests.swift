import RosterCore
import RosterTestSupport
import SCIM
import Testing

/// Teams, mappings, memberships and the event feed (``TeamStore``) through the protocol, on every store.
extension StoreCase {
    /// Slugs come from names and are unique; teams list by name bytewise; a team is found by id, slug, exact name or name ignoring case, and a name two teams share is an error.
    func teamsAreCreatedOrderedAndFound() async throws {
        let platform = try await store.createTeam(name: "  Platform Team ", slug: nil)
        #expect(platform.name == "Platform Team")
        #expect(platform.slug == "platform-team")
        await #expect(throws: TeamError("a team with the slug \"platform-team\" already exists")) {
            try await store.createTeam(name: "Another", slug: "Platform Team")
        }
        await #expect(throws: TeamError("a team needs a name")) { try await store.createTeam(name: " \n", slug: nil) }
        let names = ["Beta", "alpha", "_Ops", "Émile", "Zed"]
        for name in names { _ = try await store.createTeam(name: name, slug: nil) }
        // Bytewise: "Beta" < "Platform Team" < "Zed" < "_Ops" < "alpha" < "Émile" (an en-US collation mixes cases).
        #expect(try await store.teams().map(\.name) == Bytewise.sorted(names + ["Platform Team"]))
        #expect(try await store.teams().map(\.slug) == ["beta", "platform-team", "zed", "ops", "alpha", "mile"])

        #expect(try await store.team(platform.id) == platform)
        #expect(try await store.team("platform-team") == platform)
        #expect(try await store.team("Platform Team") == platform)
        #expect(try await store.team("PLATFORM team") == platform, "a name ignoring (ASCII) case")
        #expect(try await store.team("nope") == nil)

        let twin = try await store.createTeam(name: "Twin", slug: nil)
        let lowerTwin = try await store.createTeam(name: "twin", slug: "twin 2")
        #expect(try await store.team("Twin") == twin, "an exact name wins")
        #expect(try await store.team("twin") == twin, "the slug wins over a name")
        #expect(try await store.team("twin-2") == lowerTwin)
        await #expect(throws: TeamError("2 teams are named \"TWIN\": name one by its slug (\"twin\", \"twin-2\")")) {
            try await store.team("TWIN")
        }
    }

    /// A name matches ignoring ASCII case only, as SQLite’s NOCASE compares.
    func teamNamesMatchIgnoringOnlyASCIICase() async throws {
        let team = try await store.createTeam(name: "Équipe", slug: "equipe")
        #expect(try await store.team("Équipe") == team)
        // SQLite compares names with NOCASE, which folds ASCII letters only: "équipe" does not name "Équipe".
        #expect(try await store.team("équipe") == nil)
    }

    /// A rename trims the name and keeps the slug; an unknown team or an empty name is an error.
    func renamingKeepsTheSlug() async throws {
        let team = try await store.createTeam(name: "Platform", slug: nil)
        let renamed = try await store.renameTeam("platform", to: " Core ")
        #expect(renamed == Team(id: team.id, name: "Core", slug: "platform", createdAt: team.createdAt))
        #expect(try await store.team("core") == renamed)
        #expect(try await store.teams() == [renamed])
        await #expect(throws: TeamError("no team with id, slug or name \"nope\"")) { try await store.renameTeam("nope", to: "X") }
        await #expect(throws: TeamError("a team needs a name")) { try await store.renameTeam("platform", to: "  ") }
    }

    /// Deleting a team announces each active member once, by user row, and takes its mappings and memberships; other teams stay.
    func deletingATeamAnnouncesItsActiveMembers() async throws {
        let a = try await createUser("a@x.com")
        let b = try await createUser("b@x.com", extra: #","active":false"#)
        let c = try await createUser("c@x.com")
        _ = try await createGroup("Eng", members: [a.id, b.id])
        let builders = try await store.createTeam(name: "Builders", slug: nil)
        let guild = try await store.createTeam(name: "Guild", slug: nil)
        _ = try await store.map(team: "builders", groupName: "Eng", directoryID: nil)
        _ = try await store.map(team: "guild", groupName: "Eng", directoryID: nil)
        try await store.addManualMember(team: "builders", directoryID: directory.id, userID: c.id)
        try await store.addManualMember(team: "builders", directoryID: directory.id, userID: a.id)
        let mark = try await lastSequence()
        try await store.deleteTeam("Builders")
        let events = try await store.events(after: mark, limit: 100)
        #expect(events.map(Self.line(of:)) == ["team.member_removed builders \(a.id)", "team.member_removed builders \(c.id)"])
        #expect(events.allSatisfy { $0.directoryID == directory.id && $0.resourceID == builders.id })
        #expect(events.first?.data.objectValue?["team"]?.objectValue?["name"] == "Builders")
        #expect(events.first?.data.objectValue?["user"]?.objectValue?["userName"] == "a@x.com")
        #expect(try await store.team("builders") == nil)
        #expect(try await store.teams() == [guild])
        #expect(try await store.mappings(team: nil) == [TeamMapping(teamID: guild.id, directoryID: nil, groupName: "Eng")])
        #expect(try await store.teamMembers("guild").map(\.userID) == [a.id, b.id])
        await #expect(throws: TeamError("no team with id, slug or name \"builders\"")) { try await store.deleteTeam("builders") }
    }

    /// Mapping back-fills the active members of the groups of exactly that name and says what it did; unmapping withdraws only what no other mapping or source holds, with one event per effective change.
    func mappingBackfillsAndUnmappingWithdraws() async throws {
        let entra = try await makeEntraDirectory()
        let a = try await createUser("a@x.com")
        let b = try await createUser("b@x.com")
        let c = try await createUser("c@x.com", extra: #","active":false"#)
        let d = try await createUser("d@x.com", in: entra.id)
        let eng = try await createGroup("Eng", members: [a, b, c])
        let sre = try await createGroup("SRE", members: [a])
        let entraEng = try await createGroup("eng", members: [d], in: entra.id)
        let builders = try await store.createTeam(name: "Builders", slug: nil)
        let guild = try await store.createTeam(name: "Guild", slug: nil)

        var mark = try await lastSequence()
        let first = try await store.map(team: "builders", groupName: "Eng", directoryID: nil)
        #expect(
            first
                == TeamMappingOutcome(
                    mapping: TeamMapping(teamID: builders.id, directoryID: nil, groupName: "Eng"),
                    alreadyMapped: false,
                    matchedGroups: 1,
                    membersJoined: 2,
                    namesDifferingInCase: ["eng"]
                )
        )
        #expect(
            try await eventLines(after: mark) == [
                "team.member_added builders \(a.id) via \(eng.id)", "team.member_added builders \(b.id) via \(eng.id)",
            ]
        )
        mark = try await lastSequence()
        let again = try await store.map(team: builders.id, groupName: "Eng", directoryID: nil)
        #expect(again.alreadyMapped && again.matchedGroups == 1 && again.membersJoined == 0)
        let viaSRE = try await store.map(team: "Builders", groupName: "SRE", directoryID: directory.id)
        #expect(!viaSRE.alreadyMapped && viaSRE.matchedGroups == 1 && viaSRE.membersJoined == 0 && viaSRE.namesDifferingInCase.isEmpty)
        _ = try await store.map(team: "guild", groupName: "SRE", directoryID: nil)
        let entraOutcome = try await store.map(team: "builders", groupName: "eng", directoryID: entra.id)
        #expect(entraOutcome.matchedGroups == 1 && entraOutcome.membersJoined == 1 && entraOutcome.namesDifferingInCase.isEmpty)
        #expect(
            try await eventLines(after: mark) == [
                "team.member_added guild \(a.id) via \(sre.id)", "team.member_added builders \(d.id) via \(entraEng.id)",
            ]
        )
        #expect(
            try await store.mappings(team: nil) == [
                TeamMapping(teamID: builders.id, directoryID: nil, groupName: "Eng"),
                TeamMapping(teamID: builders.id, directoryID: directory.id, groupName: "SRE"),
                TeamMapping(teamID: guild.id, directoryID: nil, groupName: "SRE"),
                TeamMapping(teamID: builders.id, directoryID: entra.id, groupName: "eng"),
            ]
        )
        #expect(try await store.mappings(team: "guild") == [TeamMapping(teamID: guild.id, directoryID: nil, groupName: "SRE")])
        #expect(
            try await store.teamMembers("builders") == [
                TeamMember(
                    userID: a.id,
                    userName: "a@x.com",
                    directoryID: directory.id,
                    active: true,
                    personEmail: "a@x.com",
                    sources: [.group(id: eng.id, displayName: "Eng"), .group(id: sre.id, displayName: "SRE")]
                ),
                TeamMember(
                    userID: b.id,
                    userName: "b@x.com",
                    directoryID: directory.id,
                    active: true,
                    personEmail: "b@x.com",
                    sources: [.group(id: eng.id, displayName: "Eng")]
                ),
                TeamMember(
                    userID: c.id,
                    userName: "c@x.com",
                    directoryID: directory.id,
                    active: false,
                    personEmail: "c@x.com",
                    sources: [.group(id: eng.id, displayName: "Eng")]
                ),
                TeamMember(
                    userID: d.id,
                    userName: "d@x.com",
                    directoryID: entra.id,
                    active: true,
                    personEmail: "d@x.com",
                    sources: [.group(id: entraEng.id, displayName: "eng")]
                ),
            ]
        )

        mark = try await lastSequence()
        try await store.unmap(team: "builders", groupName: "Eng", directoryID: nil)
        #expect(try await eventLines(after: mark) == ["team.member_removed builders \(b.id) via \(eng.id)"], "a stays through SRE; c is suspended")
        #expect(try await store.teamMembers("builders").map(\.userID) == [a.id, d.id])
        // An all-directories mapping of SRE still feeds guild; the per-directory one of builders goes with its rows.
        _ = try await store.map(team: "guild", groupName: "SRE", directoryID: directory.id)
        try await store.unmap(team: "guild", groupName: "SRE", directoryID: directory.id)
        #expect(try await store.teamMembers("guild").map(\.sources) == [[.group(id: sre.id, displayName: "SRE")]])
        try await store.unmap(team: "builders", groupName: "SRE", directoryID: directory.id)
        #expect(
            try await eventLines(after: mark) == [
                "team.member_removed builders \(b.id) via \(eng.id)", "team.member_removed builders \(a.id) via \(sre.id)",
            ]
        )

        await #expect(throws: TeamError("team \"builders\" has no mapping for the group name \"Eng\"")) {
            try await store.unmap(team: "builders", groupName: "Eng", directoryID: nil)
        }
        await #expect(throws: TeamError("team \"builders\" has no mapping for the group name \"eng\"")) {
            try await store.unmap(team: "builders", groupName: "eng", directoryID: directory.id)
        }
        await #expect(throws: TeamError("no directory with id \"no-such-directory\"")) {
            _ = try await store.map(team: "builders", groupName: "X", directoryID: "no-such-directory")
        }
        await #expect(throws: TeamError("the group name is empty")) { _ = try await store.map(team: "builders", groupName: "", directoryID: nil) }
        await #expect(throws: TeamError("no team with id, slug or name \"nope\"")) {
            _ = try await store.map(team: "nope", groupName: "Eng", directoryID: nil)
        }
        await #expect(throws: TeamError("no team with id, slug or name \"nope\"")) { _ = try await store.mappings(team: "nope") }
        await #expect(throws: TeamError("no team with id, slug or name \"nope\"")) { _ = try await store.teamMembers("nope") }
    }

    /// A manual membership is added once, announced only when it makes an active user join, and listed before group sources.
    func manualMembersJoinOnceAndListFirst() async throws {
        let a = try await createUser("a@x.com")
        let inactive = try await createUser("i@x.com", extra: #","active":false"#)
        let eng = try await createGroup("Eng", members: [a.id])
        let team = try await store.createTeam(name: "Builders", slug: nil)
        _ = try await store.map(team: "builders", groupName: "Eng", directoryID: nil)
        var mark = try await lastSequence()
        #expect(try await store.addManualMember(team: "builders", directoryID: directory.id, userID: a.id))
        #expect(try await store.addManualMember(team: team.id, directoryID: directory.id, userID: a.id) == false)
        #expect(try await store.addManualMember(team: "Builders", directoryID: directory.id, userID: inactive.id))
        #expect(try await eventLines(after: mark).isEmpty, "a was in already; i is suspended")
        #expect(
            try await store.teamMembers("builders").map { "\($0.userName) \($0.active) \($0.sources)" } == [
                "a@x.com true \([TeamMembershipSource.manual, .group(id: eng.id, displayName: "Eng")])",
                "i@x.com false \([TeamMembershipSource.manual])",
            ]
        )
        let b = try await createUser("b@x.com")
        mark = try await lastSequence()
        #expect(try await store.addManualMember(team: "builders", directoryID: directory.id, userID: b.id))
        #expect(try await eventLines(after: mark) == ["team.member_added builders \(b.id)"])

        let other = try await makeEntraDirectory()
        await #expect(throws: SCIMError.self, "a user of another directory") {
            try await store.addManualMember(team: "builders", directoryID: other.id, userID: b.id)
        }
        await #expect(throws: SCIMError.self) { try await store.addManualMember(team: "builders", directoryID: directory.id, userID: "nope") }
        await #expect(throws: TeamError.self) { try await store.addManualMember(team: "nope", directoryID: directory.id, userID: b.id) }
    }

    /// Events come oldest first after a sequence, at most `limit`, with the data and time of the change that wrote them.
    func eventsArePagedInSequenceOrder(clock: TestClock) async throws {
        let mark = try await lastSequence()
        var users: [StoredResource] = []
        for index in 0..<5 {
            clock.advance(by: 1_000)
            users.append(try await createUser("u\(index)@x.com"))
        }
        let all = try await store.events(after: mark, limit: 100)
        #expect(all.map(\.resourceID) == users.map(\.id))
        #expect(all.allSatisfy { $0.type == "user.created" && $0.directoryID == directory.id && $0.previousAttributes == nil })
        #expect(all.allSatisfy { $0.id.hasPrefix("evt_") })
        #expect(Set(all.map(\.id)).count == 5)
        #expect(all.map(\.createdAt) == users.map(\.createdAt))
        #expect(all.map { $0.data.objectValue?["userName"]?.stringValue } == users.map { $0.attributes["userName"]?.stringValue })
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.sequence < $1.sequence })

        let first = try await store.events(after: mark, limit: 2)
        #expect(first == Array(all.prefix(2)))
        let rest = try await store.events(after: try #require(first.last).sequence, limit: 10)
        #expect(rest == Array(all.dropFirst(2)))
        #expect(try await store.events(after: try #require(all.last).sequence, limit: 10).isEmpty)
        #expect(try await store.events(after: mark, limit: 0).isEmpty)
        #expect(try await store.events(after: all[2].sequence - 1, limit: 1) == [all[2]])
    }
}

/// The store suite's team and event cases on each store.
@Suite("Store suite: teams and events")
struct TeamStoreTests {
    @Test(arguments: StoreKind.available) func teamsAreCreatedOrderedAndFound(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).teamsAreCreatedOrderedAndFound() }
    }

    @Test(arguments: StoreKind.available) func teamNamesMatchIgnoringOnlyASCIICase(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).teamNamesMatchIgnoringOnlyASCIICase() }
    }

    @Test(arguments: StoreKind.available) func renamingKeepsTheSlug(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).renamingKeepsTheSlug() }
    }

    @Test(arguments: StoreKind.available) func deletingATeamAnnouncesItsActiveMembers(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).deletingATeamAnnouncesItsActiveMembers() }
    }

    @Test(arguments: StoreKind.available) func mappingBackfillsAndUnmappingWithdraws(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).mappingBackfillsAndUnmappingWithdraws() }
    }

    @Test(arguments: StoreKind.available) func manualMembersJoinOnceAndListFirst(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).manualMembersJoinOnceAndListFirst() }
    }

    @Test(arguments: StoreKind.available) func eventsArePagedInSequenceOrder(_ kind: StoreKind) async throws {
        let clock = TestClock()
        try await kind.withStore(now: { clock.now }) { try await StoreCase(store: $0).eventsArePagedInSequenceOrder(clock: clock) }
    }
}
