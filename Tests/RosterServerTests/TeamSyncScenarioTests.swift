import RosterCore
import RosterTestSupport
import SCIM
import Testing

/// Acceptance scenarios of issue 4 (teams that follow the IdP's groups), rules 1–8: every change is a real SCIM
/// request in Okta's or Entra's shape (docs/IDP-BEHAVIOURS.md §1, §2), and each scenario asserts the team
/// memberships and the exact events written after the change, in order. Teams render by slug, users by userName,
/// groups by the name they were created with (see ``TeamScenario``). Every scenario runs on each store
/// (``StoreKind/available``) with the same expected events, so SQLite and PostgreSQL cannot drift apart.
@Suite("Team sync scenarios (issue 4)")
struct TeamSyncScenarioTests {
    // MARK: Rule 1: a group is created or gains members

    @Test("Rule 1: Okta AIW POST with members fills every mapped team; inactive members are not counted", arguments: StoreKind.available)
    func createdWithMembers(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let bob = try await s.createUser("bob")
            let carol = try await s.createUser("carol", active: false)
            let allHands = try await s.createTeam("All Hands")
            let builders = try await s.createTeam("Builders")
            let guild = try await s.createTeam("Guild")
            var mark = try await s.mark()
            #expect(mark > 0)  // the users' creation
            // "Engineering" feeds three teams; "Guild" is fed by two group names. No such group yet: nothing to back-fill.
            try await s.map(builders, "Engineering", on: .okta)
            try await s.map(allHands, "Engineering", on: nil)
            try await s.map(guild, "Engineering", on: nil)
            try await s.map(guild, "SRE", on: nil)
            try await s.expectEvents(after: mark, [])

            let engineering = try await s.createGroup("Engineering", members: [alice, carol])
            try await s.expectEvents(
                after: mark,
                [
                    "group.created Engineering",
                    "group.member_added Engineering alice",
                    "team.member_added all-hands alice via Engineering",
                    "team.member_added builders alice via Engineering",
                    "team.member_added guild alice via Engineering",
                    "group.member_added Engineering carol",
                ]
            )
            #expect(try await s.memberNames(engineering) == ["alice", "carol"])
            for team in [allHands, builders, guild] {
                try await s.expectMembers(team, ["alice: Engineering", "carol (inactive): Engineering"])
            }

            // A second group name feeding the same team: Alice is already in, Bob joins.
            mark = try await s.mark()
            _ = try await s.createGroup("SRE", members: [alice, bob])
            try await s.expectEvents(
                after: mark,
                [
                    "group.created SRE",
                    "group.member_added SRE alice",
                    "group.member_added SRE bob",
                    "team.member_added guild bob via SRE",
                ]
            )
            try await s.expectMembers(guild, ["alice: Engineering, SRE", "bob: SRE", "carol (inactive): Engineering"])
            try await s.expectMembers(builders, ["alice: Engineering", "carol (inactive): Engineering"])
        }
    }

    @Test("Rule 1: PATCH add (Okta and Entra) puts the new members in every mapped team", arguments: StoreKind.available)
    func patchAdd(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let bob = try await s.createUser("bob")
            let carol = try await s.createUser("carol", active: false)
            let dave = try await s.createUser("dave", on: .entra)
            let erin = try await s.createUser("erin", on: .entra)
            let allHands = try await s.createTeam("All Hands")
            let builders = try await s.createTeam("Builders")
            try await s.map(builders, "Engineering", on: .okta)
            try await s.map(allHands, "Engineering", on: nil)

            // Okta OIN: push the group empty, then `add members`, then the rename-style replace it always sends.
            let engineering = try await s.createGroup("Engineering")
            var mark = try await s.mark()
            try await s.patch(engineering, [Ops.oktaAdd([alice, bob, carol])])
            try await s.patch(engineering, [Ops.oktaRename(engineering, to: "Engineering")])
            try await s.expectEvents(
                after: mark,
                [
                    "group.member_added Engineering alice",
                    "team.member_added all-hands alice via Engineering",
                    "team.member_added builders alice via Engineering",
                    "group.member_added Engineering bob",
                    "team.member_added all-hands bob via Engineering",
                    "team.member_added builders bob via Engineering",
                    "group.member_added Engineering carol",
                ]
            )
            try await s.expectMembers(builders, ["alice: Engineering", "bob: Engineering", "carol (inactive): Engineering"])

            // Entra: a group of the same name in its own directory feeds only the all-directories mapping.
            let entraEngineering = try await s.createGroup("Engineering", on: .entra, label: "Engineering@entra")
            mark = try await s.mark()
            try await s.patch(entraEngineering, [Ops.entraAdd([dave, erin])])
            try await s.expectEvents(
                after: mark,
                [
                    "group.member_added Engineering@entra dave",
                    "team.member_added all-hands dave via Engineering@entra",
                    "group.member_added Engineering@entra erin",
                    "team.member_added all-hands erin via Engineering@entra",
                ]
            )
            try await s.expectMembers(
                allHands,
                ["alice: Engineering", "bob: Engineering", "carol (inactive): Engineering", "dave: Engineering@entra", "erin: Engineering@entra"]
            )
            try await s.expectMembers(builders, ["alice: Engineering", "bob: Engineering", "carol (inactive): Engineering"])
        }
    }

    // MARK: Rule 2: a member leaves a group

    /// The ways an IdP takes members out of a group.
    enum RemovalForm: String, CaseIterable, Sendable {
        /// Okta: one `remove members[value eq "…"]` per member.
        case oktaFilter
        /// Entra: `Remove members` with a value list.
        case entraValueList
        /// `remove members` with no value: everyone.
        case removeAll
        /// Okta Push now: `replace members` with the members to keep.
        case oktaReplaceMembers
        /// Okta pushing an empty group: `replace members` with `[]`.
        case oktaReplaceEmpty
        /// Okta AIW: `PUT` with the full member list.
        case aiwPut

        /// The IdP that sends this form.
        var idp: ScenarioIdP { self == .entraValueList || self == .removeAll ? .entra : .okta }
        /// Whether Dave, not named for removal, goes too.
        var removesEveryone: Bool { self == .removeAll || self == .oktaReplaceEmpty }
    }

    @Test(
        "Rule 2: leaving a group drops its memberships; another mapped group or a manual membership keeps the user",
        arguments: StoreKind.available,
        RemovalForm.allCases
    )
    func leaving(_ kind: StoreKind, _ form: RemovalForm) async throws {
        try await withTeamScenario(kind) { s in
            let idp = form.idp
            let alice = try await s.createUser("alice", on: idp)
            let bob = try await s.createUser("bob", on: idp)
            let carol = try await s.createUser("carol", on: idp)
            let dave = try await s.createUser("dave", on: idp)
            let builders = try await s.createTeam("Builders")
            let guild = try await s.createTeam("Guild")
            try await s.map(builders, "Engineering", on: nil)
            try await s.map(builders, "SRE", on: idp)
            try await s.map(guild, "Engineering", on: idp)
            let engineering = try await s.createGroup("Engineering", members: [alice, bob, carol, dave], on: idp)
            _ = try await s.createGroup("SRE", members: [bob], on: idp)
            try await s.addManually(carol, to: builders)
            try await s.expectMembers(builders, ["alice: Engineering", "bob: Engineering, SRE", "carol: manual, Engineering", "dave: Engineering"])
            try await s.expectMembers(guild, ["alice: Engineering", "bob: Engineering", "carol: Engineering", "dave: Engineering"])

            let mark = try await s.mark()
            switch form {
            case .oktaFilter: try await s.patch(engineering, [Ops.oktaRemove(alice), Ops.oktaRemove(bob), Ops.oktaRemove(carol)])
            case .entraValueList: try await s.patch(engineering, [Ops.entraRemove([alice, bob, carol])])
            case .removeAll: try await s.patch(engineering, [Ops.removeAllMembers])
            case .oktaReplaceMembers: try await s.patch(engineering, [Ops.oktaReplaceMembers([dave])])
            case .oktaReplaceEmpty: try await s.patch(engineering, [Ops.oktaReplaceMembers([])])
            case .aiwPut: try await s.put(engineering, members: [dave])
            }
            var expected = [
                "group.member_removed Engineering alice",
                "team.member_removed builders alice via Engineering",
                "team.member_removed guild alice via Engineering",
                "group.member_removed Engineering bob",
                "team.member_removed guild bob via Engineering",  // builders keeps Bob through SRE
                "group.member_removed Engineering carol",
                "team.member_removed guild carol via Engineering",  // builders keeps Carol, added by hand
            ]
            if form.removesEveryone {
                expected += [
                    "group.member_removed Engineering dave",
                    "team.member_removed builders dave via Engineering",
                    "team.member_removed guild dave via Engineering",
                ]
            }
            try await s.expectEvents(after: mark, expected)
            #expect(try await s.memberNames(engineering) == (form.removesEveryone ? [] : ["dave"]))
            let daveLine = form.removesEveryone ? [] : ["dave: Engineering"]
            try await s.expectMembers(builders, ["bob: SRE", "carol: manual"] + daveLine)
            try await s.expectMembers(guild, daveLine)
        }
    }

    // MARK: Rule 3: a group is deleted

    @Test("Rule 3: deleting a group (Okta, Entra) drops the memberships it sourced, and only those", arguments: StoreKind.available)
    func groupDeleted(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let bob = try await s.createUser("bob")
            let carol = try await s.createUser("carol", active: false)
            let dave = try await s.createUser("dave", on: .entra)
            let allHands = try await s.createTeam("All Hands")
            let builders = try await s.createTeam("Builders")
            let guild = try await s.createTeam("Guild")
            try await s.map(builders, "Engineering", on: nil)
            try await s.map(guild, "Engineering", on: nil)
            try await s.map(guild, "SRE", on: nil)
            try await s.map(allHands, "Platform", on: .entra)
            let engineering = try await s.createGroup("Engineering", members: [alice, bob, carol])
            _ = try await s.createGroup("SRE", members: [bob])
            let platform = try await s.createGroup("Platform", members: [dave], on: .entra)

            var mark = try await s.mark()
            try await s.delete(engineering)
            try await s.expectEvents(
                after: mark,
                [
                    "team.member_removed builders alice via Engineering",
                    "team.member_removed builders bob via Engineering",
                    "team.member_removed guild alice via Engineering",
                    "group.deleted Engineering",
                ]
            )
            try await s.expectMembers(builders, [])
            try await s.expectMembers(guild, ["bob: SRE"])

            mark = try await s.mark()
            try await s.delete(platform)
            try await s.expectEvents(after: mark, ["team.member_removed all-hands dave via Platform", "group.deleted Platform"])
            try await s.expectMembers(allHands, [])
        }
    }

    // MARK: Rule 4: a group is renamed

    @Test(
        "Rule 4: Okta's rename (no-path replace with id) moves members from teams of the old name to teams of the new",
        arguments: StoreKind.available
    )
    func oktaRename(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let bob = try await s.createUser("bob")
            let carol = try await s.createUser("carol", active: false)
            let allHands = try await s.createTeam("All Hands")
            let builders = try await s.createTeam("Builders")
            let guild = try await s.createTeam("Guild")
            try await s.map(builders, "Engineering", on: .okta)
            try await s.map(guild, "Engineering", on: nil)
            try await s.map(guild, "Platform", on: nil)
            try await s.map(allHands, "Platform", on: .okta)
            let engineering = try await s.createGroup("Engineering", members: [alice, bob, carol])

            var mark = try await s.mark()
            try await s.patch(engineering, [Ops.oktaRename(engineering, to: "Platform")])
            try await s.expectEvents(
                after: mark,
                [
                    "group.updated Engineering→Platform changed displayName",
                    "team.member_removed builders alice via Engineering→Platform",
                    "team.member_removed builders bob via Engineering→Platform",
                    "team.member_added all-hands alice via Engineering→Platform",
                    "team.member_added all-hands bob via Engineering→Platform",
                ]
            )
            try await s.expectMembers(builders, [])
            let renamed = ["alice: Engineering→Platform", "bob: Engineering→Platform", "carol (inactive): Engineering→Platform"]
            try await s.expectMembers(allHands, renamed)
            try await s.expectMembers(guild, renamed)  // mapped to both names: nobody moves

            // Okta sends the same replace again after the next membership update: nothing happens.
            mark = try await s.mark()
            try await s.patch(engineering, [Ops.oktaRename(engineering, to: "Platform")])
            try await s.expectEvents(after: mark, [])

            // AIW renames with a PUT of the full group.
            try await s.put(engineering, displayName: "Engineering", members: [alice, bob, carol])
            try await s.expectEvents(
                after: mark,
                [
                    "group.updated Engineering changed displayName",
                    "team.member_removed all-hands alice via Engineering",
                    "team.member_removed all-hands bob via Engineering",
                    "team.member_added builders alice via Engineering",
                    "team.member_added builders bob via Engineering",
                ]
            )
            try await s.expectMembers(builders, ["alice: Engineering", "bob: Engineering", "carol (inactive): Engineering"])
            try await s.expectMembers(allHands, [])
        }
    }

    @Test(
        "Rule 4: an AIW PUT that renames and changes members at once leaves every member in the teams of the new name",
        arguments: StoreKind.available
    )
    func aiwPutRenameWithMembers(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let bob = try await s.createUser("bob")
            let carol = try await s.createUser("carol")
            let allHands = try await s.createTeam("All Hands")
            let builders = try await s.createTeam("Builders")
            try await s.map(builders, "Engineering", on: .okta)
            try await s.map(allHands, "Platform", on: .okta)
            let engineering = try await s.createGroup("Engineering", members: [alice, bob])

            let mark = try await s.mark()
            try await s.put(engineering, displayName: "Platform", members: [alice, carol])
            // The member list is applied first (its events already carry the new name), then the rename moves the rest.
            try await s.expectEvents(
                after: mark,
                [
                    "group.member_removed Engineering→Platform bob",
                    "team.member_removed builders bob via Engineering→Platform",
                    "group.member_added Engineering→Platform carol",
                    "team.member_added all-hands carol via Engineering→Platform",
                    "group.updated Engineering→Platform changed displayName",
                    "team.member_removed builders alice via Engineering→Platform",
                    "team.member_added all-hands alice via Engineering→Platform",
                ]
            )
            try await s.expectMembers(builders, [])
            try await s.expectMembers(allHands, ["alice: Engineering→Platform", "carol: Engineering→Platform"])
        }
    }

    @Test("Rule 4: Entra's Replace displayName moves members; names match exactly, case included", arguments: StoreKind.available)
    func entraRenameAndCase(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let dave = try await s.createUser("dave", on: .entra)
            let erin = try await s.createUser("erin", on: .entra)
            let allHands = try await s.createTeam("All Hands")
            let builders = try await s.createTeam("Builders")
            try await s.map(builders, "Engineering", on: nil)
            try await s.map(allHands, "Design", on: .entra)

            // "engineering" is not "Engineering".
            var mark = try await s.mark()
            let group = try await s.createGroup("engineering", members: [dave, erin], on: .entra)
            try await s.expectEvents(
                after: mark,
                [
                    "group.created engineering",
                    "group.member_added engineering dave",
                    "group.member_added engineering erin",
                ]
            )
            try await s.expectMembers(builders, [])
            // Nor does a mapping added in another case back-fill from it.
            mark = try await s.mark()
            try await s.map(allHands, "ENGINEERING", on: nil)
            try await s.expectEvents(after: mark, [])
            try await s.expectMembers(allHands, [])

            // A rename that only fixes the case joins the team mapped to the exact name.
            try await s.patch(group, [Ops.entraRename(to: "Engineering")])
            try await s.expectEvents(
                after: mark,
                [
                    "group.updated engineering→Engineering changed displayName",
                    "team.member_added builders dave via engineering→Engineering",
                    "team.member_added builders erin via engineering→Engineering",
                ]
            )
            try await s.expectMembers(builders, ["dave: engineering→Engineering", "erin: engineering→Engineering"])

            // Entra renames to a name mapped elsewhere.
            mark = try await s.mark()
            try await s.patch(group, [Ops.entraRename(to: "Design")])
            try await s.expectEvents(
                after: mark,
                [
                    "group.updated engineering→Design changed displayName",
                    "team.member_removed builders dave via engineering→Design",
                    "team.member_removed builders erin via engineering→Design",
                    "team.member_added all-hands dave via engineering→Design",
                    "team.member_added all-hands erin via engineering→Design",
                ]
            )
            try await s.expectMembers(builders, [])
            try await s.expectMembers(allHands, ["dave: engineering→Design", "erin: engineering→Design"])

            // A rename to a name no team maps: everyone leaves.
            mark = try await s.mark()
            try await s.patch(group, [Ops.entraRename(to: "design")])
            try await s.expectEvents(
                after: mark,
                [
                    "group.updated engineering→design changed displayName",
                    "team.member_removed all-hands dave via engineering→design",
                    "team.member_removed all-hands erin via engineering→design",
                ]
            )
            try await s.expectMembers(allHands, [])
        }
    }

    // MARK: Rule 5: mappings added and removed

    @Test("Rule 5: a mapping added after the push back-fills at once; removing it drops what it sourced", arguments: StoreKind.available)
    func mappingBackfillAndUnmap(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let bob = try await s.createUser("bob")
            let carol = try await s.createUser("carol", active: false)
            let builders = try await s.createTeam("Builders")
            _ = try await s.createGroup("Engineering", members: [alice, bob, carol])
            _ = try await s.createGroup("SRE", members: [alice])

            var mark = try await s.mark()
            try await s.map(builders, "Engineering", on: nil)
            try await s.expectEvents(
                after: mark,
                [
                    "team.member_added builders alice via Engineering",
                    "team.member_added builders bob via Engineering",
                ]
            )
            try await s.expectMembers(builders, ["alice: Engineering", "bob: Engineering", "carol (inactive): Engineering"])

            // A second name: Alice is in already, so no event; mapping it again changes nothing.
            mark = try await s.mark()
            try await s.map(builders, "SRE", on: .okta)
            try await s.map(builders, "SRE", on: .okta)
            try await s.expectEvents(after: mark, [])
            try await s.expectMembers(builders, ["alice: Engineering, SRE", "bob: Engineering", "carol (inactive): Engineering"])
            #expect(try await s.store.mappings(team: builders.id).count == 2)

            // Carol's back-filled membership was suspended; reactivation brings it in.
            mark = try await s.mark()
            try await s.patch(carol, [Ops.oktaActive(true)])
            try await s.expectEvents(after: mark, [#"user.reactivated carol was {"active":false}"#, "team.member_added builders carol"])

            mark = try await s.mark()
            try await s.unmap(builders, "Engineering", on: nil)
            try await s.expectEvents(
                after: mark,
                ["team.member_removed builders bob via Engineering", "team.member_removed builders carol via Engineering"]
            )
            try await s.expectMembers(builders, ["alice: SRE"])

            mark = try await s.mark()
            try await s.unmap(builders, "SRE", on: .okta)
            try await s.expectEvents(after: mark, ["team.member_removed builders alice via SRE"])
            try await s.expectMembers(builders, [])
            #expect(try await s.store.mappings(team: builders.id).isEmpty)
        }
    }

    @Test("Rule 5: a per-directory mapping and an all-directories mapping of the same name hold independently", arguments: StoreKind.available)
    func perDirectoryAndAllDirectoryMappings(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let dave = try await s.createUser("dave", on: .entra)
            let allHands = try await s.createTeam("All Hands")
            _ = try await s.createGroup("Engineering", members: [alice])
            _ = try await s.createGroup("Engineering", members: [dave], on: .entra, label: "Engineering@entra")

            var mark = try await s.mark()
            try await s.map(allHands, "Engineering", on: .okta)
            try await s.expectEvents(after: mark, ["team.member_added all-hands alice via Engineering"])
            mark = try await s.mark()
            try await s.map(allHands, "Engineering", on: nil)
            try await s.expectEvents(after: mark, ["team.member_added all-hands dave via Engineering@entra"])
            try await s.expectMembers(allHands, ["alice: Engineering", "dave: Engineering@entra"])

            // Removing the Okta-only mapping keeps Alice: the all-directories mapping still feeds her in.
            mark = try await s.mark()
            try await s.unmap(allHands, "Engineering", on: .okta)
            try await s.expectEvents(after: mark, [])
            try await s.expectMembers(allHands, ["alice: Engineering", "dave: Engineering@entra"])

            // The other way round: with an Entra-only mapping left, removing the all-directories one drops Alice only.
            try await s.map(allHands, "Engineering", on: .entra)
            mark = try await s.mark()
            try await s.unmap(allHands, "Engineering", on: nil)
            try await s.expectEvents(after: mark, ["team.member_removed all-hands alice via Engineering"])
            try await s.expectMembers(allHands, ["dave: Engineering@entra"])

            mark = try await s.mark()
            try await s.unmap(allHands, "Engineering", on: .entra)
            try await s.expectEvents(after: mark, ["team.member_removed all-hands dave via Engineering@entra"])
            try await s.expectMembers(allHands, [])
        }
    }

    // MARK: Rule 6: deactivation, reactivation, deletion

    @Test(
        "Rule 6: Okta deactivation suspends memberships; reactivation restores them from the groups as they are now",
        arguments: StoreKind.available
    )
    func oktaDeactivateAndReactivate(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let allHands = try await s.createTeam("All Hands")
            let builders = try await s.createTeam("Builders")
            let guild = try await s.createTeam("Guild")
            try await s.map(builders, "Engineering", on: nil)
            try await s.map(guild, "SRE", on: nil)
            let engineering = try await s.createGroup("Engineering", members: [alice])
            let sre = try await s.createGroup("SRE")
            try await s.addManually(alice, to: allHands)

            var mark = try await s.mark()
            try await s.patch(alice, [Ops.oktaActive(false)])
            try await s.expectEvents(
                after: mark,
                [
                    #"user.deactivated alice was {"active":true}"#,
                    "team.member_removed all-hands alice",
                    "team.member_removed builders alice",
                ]
            )
            try await s.expectMembers(builders, ["alice (inactive): Engineering"])
            try await s.expectMembers(allHands, ["alice (inactive): manual"])
            #expect(try await s.memberNames(engineering) == ["alice"])  // group membership is kept
            #expect(try await s.isActive(alice) == false)

            // While inactive Alice leaves Engineering and joins SRE: group events only.
            mark = try await s.mark()
            try await s.patch(engineering, [Ops.oktaRemove(alice)])
            try await s.patch(sre, [Ops.oktaAdd([alice])])
            try await s.expectEvents(after: mark, ["group.member_removed Engineering alice", "group.member_added SRE alice"])
            try await s.expectMembers(builders, [])
            try await s.expectMembers(guild, ["alice (inactive): SRE"])

            mark = try await s.mark()
            try await s.patch(alice, [Ops.oktaActive(true)])
            try await s.expectEvents(
                after: mark,
                [
                    #"user.reactivated alice was {"active":false}"#,
                    "team.member_added all-hands alice",
                    "team.member_added guild alice",
                ]
            )
            try await s.expectMembers(allHands, ["alice: manual"])
            try await s.expectMembers(builders, [])
            try await s.expectMembers(guild, ["alice: SRE"])
        }
    }

    @Test("Rule 6: Entra's Replace active \"False\"/\"True\" suspends and restores memberships", arguments: StoreKind.available)
    func entraDeactivateAndReactivate(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let dave = try await s.createUser("dave", on: .entra)
            let erin = try await s.createUser("erin", on: .entra)
            let allHands = try await s.createTeam("All Hands")
            try await s.map(allHands, "Platform", on: nil)
            let platform = try await s.createGroup("Platform", members: [dave, erin], on: .entra)

            var mark = try await s.mark()
            try await s.patch(dave, [Ops.entraActive(false)])
            try await s.expectEvents(after: mark, [#"user.deactivated dave was {"active":true}"#, "team.member_removed all-hands dave"])
            try await s.expectMembers(allHands, ["dave (inactive): Platform", "erin: Platform"])
            #expect(try await s.memberNames(platform) == ["dave", "erin"])

            mark = try await s.mark()
            try await s.patch(dave, [Ops.entraActive(true)])
            try await s.expectEvents(after: mark, [#"user.reactivated dave was {"active":false}"#, "team.member_added all-hands dave"])
            try await s.expectMembers(allHands, ["dave: Platform", "erin: Platform"])
        }
    }

    @Test("Rule 6: Okta AIW's PUT with active false/true suspends and restores memberships", arguments: StoreKind.available)
    func aiwPutDeactivateAndReactivate(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let bob = try await s.createUser("bob")
            let builders = try await s.createTeam("Builders")
            let guild = try await s.createTeam("Guild")
            try await s.map(builders, "Engineering", on: .okta)
            try await s.map(guild, "Engineering", on: .okta)
            let engineering = try await s.createGroup("Engineering", members: [bob])
            let sre = try await s.createGroup("SRE")

            var mark = try await s.mark()
            try await s.put(bob, active: false)
            try await s.expectEvents(
                after: mark,
                [
                    #"user.deactivated bob was {"active":true}"#,
                    "team.member_removed builders bob",
                    "team.member_removed guild bob",
                ]
            )
            try await s.expectMembers(builders, ["bob (inactive): Engineering"])

            // While inactive: AIW pushes Engineering without Bob; an admin maps SRE, which Bob then joins.
            mark = try await s.mark()
            try await s.put(engineering, members: [])
            try await s.map(guild, "SRE", on: nil)
            try await s.put(sre, members: [bob])
            try await s.expectEvents(after: mark, ["group.member_removed Engineering bob", "group.member_added SRE bob"])
            try await s.expectMembers(builders, [])
            try await s.expectMembers(guild, ["bob (inactive): SRE"])

            mark = try await s.mark()
            try await s.put(bob, active: true)
            try await s.expectEvents(after: mark, [#"user.reactivated bob was {"active":false}"#, "team.member_added guild bob"])
            try await s.expectMembers(builders, [])
            try await s.expectMembers(guild, ["bob: SRE"])
        }
    }

    @Test("Rule 6: deleting a user drops every membership, with team, group and user events", arguments: StoreKind.available)
    func userDeleted(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let dave = try await s.createUser("dave", on: .entra)
            let erin = try await s.createUser("erin", on: .entra)
            let allHands = try await s.createTeam("All Hands")
            let builders = try await s.createTeam("Builders")
            let guild = try await s.createTeam("Guild")
            try await s.map(allHands, "Platform", on: .entra)
            try await s.map(guild, "Design", on: nil)
            let platform = try await s.createGroup("Platform", members: [dave, erin], on: .entra)
            let design = try await s.createGroup("Design", members: [dave], on: .entra)
            try await s.addManually(dave, to: builders)
            try await s.addManually(dave, to: guild)

            var mark = try await s.mark()
            try await s.delete(dave)
            try await s.expectEvents(
                after: mark,
                [
                    "team.member_removed all-hands dave",
                    "team.member_removed builders dave",
                    "team.member_removed guild dave",
                    "group.member_removed Platform dave",
                    "group.member_removed Design dave",
                    "user.deleted dave",
                ]
            )
            try await s.expectMembers(allHands, ["erin: Platform"])
            try await s.expectMembers(builders, [])
            try await s.expectMembers(guild, [])
            #expect(try await s.memberNames(platform) == ["erin"])
            #expect(try await s.memberNames(design).isEmpty)

            // Entra's real order: soft delete (active "False"), then the hard delete about 30 days later.
            try await s.patch(erin, [Ops.entraActive(false)])
            mark = try await s.mark()
            try await s.delete(erin)
            try await s.expectEvents(after: mark, ["group.member_removed Platform erin", "user.deleted erin"])
            try await s.expectMembers(allHands, [])
        }
    }

    // MARK: Rule 7: replays

    @Test("Rule 7: replaying the same Okta push changes nothing and records nothing", arguments: StoreKind.available)
    func oktaReplay(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let bob = try await s.createUser("bob")
            let carol = try await s.createUser("carol")
            let builders = try await s.createTeam("Builders")
            let guild = try await s.createTeam("Guild")
            try await s.map(builders, "Engineering", on: nil)
            try await s.map(guild, "Engineering", on: .okta)
            try await s.addManually(carol, to: builders)

            /// Runs `push` twice: the first time must record `expected`, the second nothing, with the same members.
            func twice(_ expected: [String], sourceLocation: SourceLocation = #_sourceLocation, _ push: () async throws -> Void) async throws {
                var mark = try await s.mark()
                try await push()
                try await s.expectEvents(after: mark, expected, sourceLocation: sourceLocation)
                let members = [try await s.members(builders), try await s.members(guild)]
                mark = try await s.mark()
                try await push()
                try await s.expectEvents(after: mark, [], "the replay recorded events", sourceLocation: sourceLocation)
                try await s.expectMembers(builders, members[0], sourceLocation: sourceLocation)
                try await s.expectMembers(guild, members[1], sourceLocation: sourceLocation)
            }

            // AIW pushes the group, then GETs and PUTs the same content (docs/IDP-BEHAVIOURS.md §1.10).
            let engineering = try await s.createGroup("Engineering", members: [alice])
            try await twice([]) { try await s.put(engineering, members: [alice]) }
            try await twice([
                "group.member_added Engineering bob",
                "team.member_added builders bob via Engineering",
                "team.member_added guild bob via Engineering",
            ]) {
                try await s.patch(engineering, [Ops.oktaAdd([bob])])
            }
            try await twice([]) { try await s.patch(engineering, [Ops.oktaRename(engineering, to: "Engineering")]) }
            try await twice([
                "group.member_added Engineering carol",
                "team.member_added guild carol via Engineering",
            ]) {
                try await s.patch(engineering, [Ops.oktaReplaceMembers([alice, bob, carol])])
            }
            try await twice([
                "group.member_removed Engineering bob",
                "team.member_removed builders bob via Engineering",
                "team.member_removed guild bob via Engineering",
            ]) {
                try await s.patch(engineering, [Ops.oktaRemove(bob)])
            }
            try await twice([
                "group.member_removed Engineering alice",
                "team.member_removed builders alice via Engineering",
                "team.member_removed guild alice via Engineering",
            ]) {
                try await s.put(engineering, members: [carol])
            }
            try await twice([
                #"user.deactivated carol was {"active":true}"#,
                "team.member_removed builders carol",
                "team.member_removed guild carol",
            ]) {
                try await s.patch(carol, [Ops.oktaActive(false)])
            }
            try await twice([]) { try await s.put(carol, active: false) }
            try await twice([
                #"user.reactivated carol was {"active":false}"#,
                "team.member_added builders carol",
                "team.member_added guild carol",
            ]) {
                try await s.put(carol, active: true)
            }
            try await twice([]) { try await s.map(builders, "Engineering", on: nil) }
            try await twice([]) { try await s.addManually(carol, to: guild) }
            try await s.expectMembers(builders, ["carol: manual, Engineering"])
            try await s.expectMembers(guild, ["carol: manual, Engineering"])
            #expect(try await s.memberNames(engineering) == ["carol"])
        }
    }

    @Test("Rule 7: replaying the same Entra push changes nothing and records nothing", arguments: StoreKind.available)
    func entraReplay(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let dave = try await s.createUser("dave", on: .entra)
            let erin = try await s.createUser("erin", on: .entra)
            let allHands = try await s.createTeam("All Hands")
            try await s.map(allHands, "Platform", on: .entra)
            let platform = try await s.createGroup("Platform", on: .entra)
            let steps: [(operations: [String], user: ScenarioUser?, expected: [String])] = [
                (
                    [Ops.entraAdd([dave, erin])], nil,
                    [
                        "group.member_added Platform dave", "team.member_added all-hands dave via Platform",
                        "group.member_added Platform erin", "team.member_added all-hands erin via Platform",
                    ]
                ),
                ([Ops.entraRename(to: "Platform")], nil, []),
                ([Ops.entraRemove([erin])], nil, ["group.member_removed Platform erin", "team.member_removed all-hands erin via Platform"]),
                ([Ops.entraActive(false)], dave, [#"user.deactivated dave was {"active":true}"#, "team.member_removed all-hands dave"]),
                ([Ops.entraActive(true)], dave, [#"user.reactivated dave was {"active":false}"#, "team.member_added all-hands dave"]),
            ]
            for step in steps {
                for round in 1...2 {
                    let mark = try await s.mark()
                    if let user = step.user {
                        try await s.patch(user, step.operations)
                    } else {
                        try await s.patch(platform, step.operations)
                    }
                    try await s.expectEvents(after: mark, round == 1 ? step.expected : [], "\(step.operations) round \(round)")
                }
            }
            try await s.expectMembers(allHands, ["dave: Platform"])
        }
    }

    // MARK: Rule 8: one transaction

    @Test("Rule 8: a group PATCH whose later operation fails leaves members, teams and events unchanged", arguments: StoreKind.available)
    func failedGroupPatchIsAtomic(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let bob = try await s.createUser("bob")
            let builders = try await s.createTeam("Builders")
            try await s.map(builders, "Engineering", on: nil)
            let guild = try await s.createTeam("Guild")
            try await s.map(guild, "sre", on: nil)
            let engineering = try await s.createGroup("Engineering", members: [alice])
            _ = try await s.createGroup("SRE")
            let mark = try await s.mark()
            let before = try await s.members(builders)
            #expect(before == ["alice: Engineering"])

            // Failures found while the PATCH is computed: an unparseable path, a remove with no path, a bad op.
            let invalid = [
                #"{"op":"replace","path":"members[value eq","value":"x"}"#,
                #"{"op":"remove"}"#,
                #"{"op":"frobnicate","path":"displayName","value":"Platform"}"#,
            ]
            for operation in invalid {
                let response = try await s.patch(engineering, [Ops.oktaRemove(alice), Ops.oktaAdd([bob]), operation], expecting: .badRequest)
                try expectSCIMError(response, status: 400)
            }
            // A failure found while writing: the member changes (and the teams mapped to the new name, "sre") are written
            // first, then the rename collides with "SRE" (409); all of it must roll back.
            let response = try await s.patch(
                engineering,
                [Ops.oktaRemove(alice), Ops.oktaAdd([bob]), Ops.entraRename(to: "sre")],
                expecting: .conflict
            )
            try expectSCIMError(response, status: 409, scimType: "uniqueness")

            try await s.expectEvents(after: mark, [])
            #expect(try await s.memberNames(engineering) == ["alice"])
            try await s.expectMembers(builders, before)
            try await s.expectMembers(guild, [])
            let group = try await s.okta.send(.get, "/Groups/\(engineering.id)").json()
            #expect(group["displayName"]?.stringValue == "Engineering")
        }
    }

    @Test("Rule 8: a user PATCH whose later operation fails, and a failed mapping, change nothing", arguments: StoreKind.available)
    func failedUserPatchAndMappingAreAtomic(_ kind: StoreKind) async throws {
        try await withTeamScenario(kind) { s in
            let alice = try await s.createUser("alice")
            let builders = try await s.createTeam("Builders")
            try await s.map(builders, "Engineering", on: nil)
            _ = try await s.createGroup("Engineering", members: [alice])
            _ = try await s.createUser("taken")
            let mark = try await s.mark()

            var response = try await s.patch(
                alice,
                [Ops.oktaActive(false), #"{"op":"replace","path":"emails[type eq","value":"x"}"#],
                expecting: .badRequest
            )
            try expectSCIMError(response, status: 400)
            // Deactivation plus a userName already in use: found while writing.
            response = try await s.patch(
                alice,
                [Ops.entraActive(false), #"{"op":"Replace","path":"userName","value":"TAKEN"}"#],
                expecting: .conflict
            )
            try expectSCIMError(response, status: 409, scimType: "uniqueness")
            #expect(try await s.isActive(alice) == true)
            try await s.expectMembers(builders, ["alice: Engineering"])

            // A mapping for a directory that does not exist is refused whole.
            await #expect(throws: TeamError.self) {
                _ = try await s.store.map(team: builders.id, groupName: "SRE", directoryID: "no-such-directory")
            }
            #expect(try await s.store.mappings(team: builders.id).map(\.groupName) == ["Engineering"])
            try await s.expectEvents(after: mark, [])
        }
    }
}
