import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import Testing

extension SecurityTests {
    /// Directory A's token never reads or writes directory B's users and groups: not through A's base path with
    /// B's ids or names, not through B's base path, and not by naming B's users as members of A's groups.
    @Suite("Directory isolation")
    struct DirectoryIsolationTests {
        /// One request of a test: what is sent and where.
        struct Probe: Sendable, CustomStringConvertible {
            /// The method.
            var method: HTTPRequest.Method
            /// The path under the directory's base path.
            var path: String
            /// The body, if any.
            var body: String?

            /// `PATCH /Users/…`.
            var description: String { "\(method) \(path)" }
        }

        /// Every verb on each of `target`'s users and groups, with Okta's bodies.
        static func writesAndReads(of target: PushedDirectory, memberID: String) -> [Probe] {
            var probes: [Probe] = []
            for id in target.userIDs {
                probes += [
                    Probe(method: .get, path: "/Users/\(id)"),
                    Probe(method: .put, path: "/Users/\(id)", body: OktaBodies.user(target.ownUser, id: id, active: false)),
                    Probe(method: .patch, path: "/Users/\(id)", body: OktaBodies.patch([OktaBodies.deactivate])),
                    Probe(method: .delete, path: "/Users/\(id)"),
                ]
            }
            for id in target.groupIDs {
                probes += [
                    Probe(method: .get, path: "/Groups/\(id)"),
                    Probe(method: .get, path: "/Groups/\(id)?excludedAttributes=members"),
                    Probe(method: .put, path: "/Groups/\(id)", body: OktaBodies.group(displayName: "Hijacked", members: [], id: id)),
                    Probe(
                        method: .patch,
                        path: "/Groups/\(id)",
                        body: OktaBodies.patch([OktaBodies.addMembers([(memberID, "intruder")]), OktaBodies.rename(groupID: id, to: "Hijacked")])
                    ),
                    Probe(method: .patch, path: "/Groups/\(id)", body: OktaBodies.patch([OktaBodies.replaceMembers([])])),
                    Probe(method: .delete, path: "/Groups/\(id)"),
                ]
            }
            return probes
        }

        /// Asserts that `response` names none of `other`'s resources (ids, userName, externalId, group name) beyond
        /// what the request itself sent (a 404 may repeat the id it was asked for).
        static func expectNothingOf(
            _ other: PushedDirectory,
            in response: TestResponse,
            _ request: CustomStringConvertible,
            sent: String = "",
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            let text = response.bodyText
            for leaked in other.resourceIDs + [other.ownUser.userName, other.ownUser.externalId, other.ownGroupName] where !sent.contains(leaked) {
                #expect(!text.contains(leaked), "\(request) answered with \(leaked) of the other directory", sourceLocation: sourceLocation)
            }
        }

        @Test("With A's token, every verb on B's user and group ids through A's base path is a 404, and B is unchanged")
        func otherDirectoryIDsAreNotFound() async throws {
            try await TwoDirectories.run { directories in
                let (a, b) = (directories.a, directories.b)
                let before = try await directories.contents(of: b)
                for probe in Self.writesAndReads(of: b, memberID: a.ownUserID) {
                    let response = try await a.okta.send(probe.method, probe.path, body: probe.body)
                    try expectSCIMError(response, status: 404)
                    Self.expectNothingOf(b, in: response, probe, sent: probe.path + (probe.body ?? ""))
                }
                #expect(try await directories.contents(of: b) == before, "B's users and groups are exactly as they were")
                let ownGroup = try await b.okta.send(.get, "/Groups/\(b.sharedGroupID)").json()
                let members = Set((ownGroup["members"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue })
                #expect(members == Set(b.userIDs), "A's user did not join B's group")
            }
        }

        @Test("A's token on B's base path is a 401 for every verb, and B is unchanged")
        func ownTokenOnOtherBasePathIsUnauthorized() async throws {
            try await TwoDirectories.run { directories in
                let (a, b) = (directories.a, directories.b)
                let before = try await directories.contents(of: b)
                let crossed = try OktaReplayTests.okta(directories.client, TestDirectory(id: b.directory.id, token: a.directory.token))
                var probes = Self.writesAndReads(of: b, memberID: b.ownUserID)
                probes += [
                    Probe(method: .get, path: "/Users"),
                    Probe(method: .get, path: "/Groups"),
                    Probe(method: .get, path: "/Users?filter=userName+eq+%22\(TwoDirectories.sharedUserName)%22"),
                    Probe(method: .post, path: "/Users", body: OktaBodies.user(a.ownUser)),
                    Probe(method: .post, path: "/Groups", body: OktaBodies.group(displayName: "Planted", members: [])),
                    Probe(method: .post, path: "/Users/.search", body: #"{"filter":"userName pr"}"#),
                    Probe(method: .post, path: "/Groups/.search", body: "{}"),
                    Probe(method: .post, path: "/.search", body: "{}"),
                    Probe(method: .get, path: "/ServiceProviderConfig"),
                ]
                for probe in probes {
                    let response = try await crossed.send(probe.method, probe.path, body: probe.body)
                    try AuthenticationTests.expectUnauthorized(response)
                    Self.expectNothingOf(b, in: response, probe)
                }
                #expect(try await directories.contents(of: b) == before, "B's users and groups are exactly as they were")
            }
        }

        @Test("Lists, filters and searches through A's base path return A's resources only, even for B's names and ids")
        func listsAndFiltersStayInTheDirectory() async throws {
            try await TwoDirectories.run { directories in
                let (a, b) = (directories.a, directories.b)
                let empty: [(HTTPRequest.Method, String, String?)] = [
                    (.get, "/Users?filter=userName+eq+%22\(b.ownUser.userName)%22", nil),
                    (.get, "/Users?filter=id+eq+%22\(b.ownUserID)%22", nil),
                    (.get, "/Users?filter=externalId+eq+%22\(b.ownUser.externalId)%22", nil),
                    (.get, "/Users?filter=emails.value+eq+%22\(b.ownUser.email)%22", nil),
                    (.get, "/Users?filter=userName+sw+%22b.%22", nil),
                    (.get, "/Groups?filter=displayName+eq+%22\(b.ownGroupName)%22", nil),
                    (.get, "/Groups?filter=id+eq+%22\(b.sharedGroupID)%22", nil),
                    (.get, "/Groups?filter=members.value+eq+%22\(b.sharedUserID)%22", nil),
                    (.post, "/Users/.search", #"{"filter":"userName eq \"\#(b.ownUser.userName)\""}"#),
                    (.post, "/Users/.search", #"{"filter":"id eq \"\#(b.ownUserID)\" or id eq \"\#(b.sharedUserID)\""}"#),
                    (.post, "/Groups/.search", #"{"filter":"displayName eq \"\#(b.ownGroupName)\""}"#),
                    (.post, "/.search", #"{"filter":"id eq \"\#(b.ownUserID)\" or id eq \"\#(b.ownGroupID)\""}"#),
                ]
                for (method, path, body) in empty {
                    let response = try await a.okta.send(method, path, body: body)
                    _ = try ListAndSearchTests.expectList(response, total: 0, items: 0)
                    Self.expectNothingOf(b, in: response, "\(method) \(path) \(body ?? "")")
                }

                let own: [(HTTPRequest.Method, String, String?, [String])] = [
                    (.get, "/Users", nil, a.userIDs),
                    (.get, "/Users?startIndex=1&count=1000", nil, a.userIDs),
                    (.get, "/Groups", nil, a.groupIDs),
                    (.get, "/Users?filter=userName+eq+%22\(TwoDirectories.sharedUserName)%22", nil, [a.sharedUserID]),
                    (.get, "/Groups?filter=displayName+eq+%22\(TwoDirectories.sharedGroupName)%22", nil, [a.sharedGroupID]),
                    (.post, "/Users/.search", #"{"filter":"userName pr"}"#, a.userIDs),
                    (.post, "/Groups/.search", "{}", a.groupIDs),
                    (.post, "/.search", "{}", a.userIDs + a.groupIDs),
                    (.post, "/.search", #"{"filter":"id pr"}"#, a.userIDs + a.groupIDs),
                ]
                for (method, path, body, expected) in own {
                    let response = try await a.okta.send(method, path, body: body)
                    let list = try ListAndSearchTests.expectList(response, total: expected.count, items: expected.count)
                    let ids = (list["Resources"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                    #expect(Set(ids) == Set(expected), "\(method) \(path)")
                    Self.expectNothingOf(b, in: response, "\(method) \(path) \(body ?? "")")
                }
            }
        }

        @Test("Creating a user or group in A with B's userName or group name neither clashes nor reveals B's")
        func namesAreUniquePerDirectory() async throws {
            try await TwoDirectories.run { directories in
                let (a, b) = (directories.a, directories.b)
                let user = try await a.okta.send(.post, "/Users", body: OktaBodies.user(b.ownUser))
                #expect(user.status == .created, "\(user.bodyText)")
                #expect(try user.json()["id"]?.stringValue != b.ownUserID)
                let group = try await a.okta.send(.post, "/Groups", body: OktaBodies.group(displayName: b.ownGroupName, members: []))
                #expect(group.status == .created, "\(group.bodyText)")
                #expect(try group.json()["id"]?.stringValue != b.ownGroupID)
                let again = try await a.okta.send(.post, "/Users", body: OktaBodies.user(b.ownUser))
                try expectSCIMError(again, status: 409, scimType: "uniqueness")
                #expect(!again.bodyText.contains(b.ownUserID), "the clash is with A's copy, not B's user")
            }
        }
    }
}
