import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import SCIM
import Testing

extension SecurityTests {
    /// A group of directory A never gets a user of directory B as a member, whichever of Okta's membership forms
    /// names B's user: the member is skipped (and recorded as a warning of A), so no membership, event or team
    /// membership links the two directories.
    @Suite("Cross-directory group membership")
    struct CrossDirectoryMembershipTests {
        /// The member ids of a group, read with its directory's own token.
        static func memberIDs(of groupID: String, in pushed: PushedDirectory) async throws -> Set<String> {
            let group = try await pushed.okta.send(.get, "/Groups/\(groupID)")
            #expect(group.status == .ok, "\(group.bodyText)")
            return Set((try group.json()["members"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue })
        }

        /// The group ids of a user, read with its directory's own token.
        static func groupIDs(of userID: String, in pushed: PushedDirectory) async throws -> Set<String> {
            let user = try await pushed.okta.send(.get, "/Users/\(userID)")
            #expect(user.status == .ok, "\(user.bodyText)")
            return Set((try user.json()["groups"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue })
        }

        @Test("Okta's add, replace, PUT and POST forms naming B's user leave A's group without it, with a warning for A")
        func otherDirectoryUsersAreSkipped() async throws {
            try await TwoDirectories.run { directories in
                let (a, b) = (directories.a, directories.b)
                let store = directories.store
                let team = try await store.createTeam(name: "Platform", slug: nil)
                _ = try await store.map(team: team.id, groupName: a.ownGroupName, directoryID: nil)
                let bContents = try await directories.contents(of: b)
                let eventsBefore = try await store.events(after: 0, limit: 100_000).count
                let intruders = [(b.ownUserID, b.ownUser.userName), (b.sharedUserID, TwoDirectories.sharedUserName)]

                let add = try await a.okta.send(
                    .patch,
                    "/Groups/\(a.ownGroupID)",
                    body: OktaBodies.patch([OktaBodies.addMembers(intruders)])
                )
                #expect((200..<300).contains(add.status.code), "the unknown members are skipped, not an error: \(add.bodyText)")
                #expect(try await Self.memberIDs(of: a.ownGroupID, in: a) == [a.ownUserID])

                let replace = try await a.okta.send(
                    .patch,
                    "/Groups/\(a.sharedGroupID)",
                    body: OktaBodies.patch([OktaBodies.replaceMembers(intruders + [(a.ownUserID, a.ownUser.userName)])])
                )
                #expect((200..<300).contains(replace.status.code), "\(replace.bodyText)")
                #expect(try await Self.memberIDs(of: a.sharedGroupID, in: a) == [a.ownUserID], "replace keeps only A's user")

                let put = try await a.okta.send(
                    .put,
                    "/Groups/\(a.sharedGroupID)",
                    body: OktaBodies.group(displayName: TwoDirectories.sharedGroupName, members: intruders, id: a.sharedGroupID)
                )
                #expect(put.status == .ok, "\(put.bodyText)")
                #expect(try await Self.memberIDs(of: a.sharedGroupID, in: a).isEmpty, "PUT keeps no member of B")

                let created = try await a.okta.send(
                    .post,
                    "/Groups",
                    body: OktaBodies.group(displayName: "Mixed", members: intruders + [(a.sharedUserID, TwoDirectories.sharedUserName)])
                )
                #expect(created.status == .created, "\(created.bodyText)")
                let mixedID = try #require(try created.json()["id"]?.stringValue)
                #expect(try await Self.memberIDs(of: mixedID, in: a) == [a.sharedUserID])

                for (userID, _) in intruders {
                    let groups = try await Self.groupIDs(of: userID, in: b)
                    #expect(groups.isDisjoint(with: a.groupIDs + [mixedID]), "B's user is in no group of A")
                }
                #expect(try await directories.contents(of: b) == bContents, "B's users and groups are exactly as they were")
                let members = try await store.teamMembers(team.id)
                #expect(members.allSatisfy { $0.directoryID == a.directory.id }, "\(members)")
                #expect(!members.contains { $0.userID == b.ownUserID || $0.userID == b.sharedUserID })

                let events = try await store.events(after: 0, limit: 100_000).dropFirst(eventsBefore)
                #expect(!events.isEmpty, "A's own changes were recorded")
                for event in events {
                    #expect(event.directoryID == nil || event.directoryID == a.directory.id, "\(event.type) \(event.resourceID ?? "")")
                    let text = event.document.serialized()
                    #expect(!text.contains(b.ownUserID) && !text.contains(b.sharedUserID), "\(event.type) names B's user: \(text)")
                }
                let warnings = try await store.warnings(directoryID: a.directory.id, limit: 100).map(\.message)
                #expect(warnings.contains { $0.contains(b.ownUserID) }, "the skipped member is reported to A's admins: \(warnings)")
                #expect(try await store.warnings(directoryID: b.directory.id, limit: 100).isEmpty, "B's page shows nothing of A's requests")
            }
        }

        @Test("Removing B's user from A's group, by value or by filter, changes nothing in B")
        func removingOtherDirectoryUsersChangesNothing() async throws {
            try await TwoDirectories.run { directories in
                let (a, b) = (directories.a, directories.b)
                let before = try await directories.contents(of: b)
                let removals: [JSONValue] = [
                    ["op": "remove", "path": .string("members[value eq \"\(b.ownUserID)\"]")],
                    ["op": "remove", "path": "members", "value": [["value": .string(b.sharedUserID)]]],
                ]
                for removal in removals {
                    let response = try await a.okta.send(.patch, "/Groups/\(a.sharedGroupID)", body: OktaBodies.patch([removal]))
                    #expect((200..<300).contains(response.status.code), "\(response.bodyText)")
                }
                #expect(try await Self.memberIDs(of: a.sharedGroupID, in: a) == Set(a.userIDs), "A's members stay")
                #expect(try await directories.contents(of: b) == before, "B's users and groups are exactly as they were")
            }
        }
    }
}
