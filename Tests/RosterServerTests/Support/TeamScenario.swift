import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterServer
import RosterTestSupport
import SCIM
import Testing

/// The identity provider a scenario request comes from: each has its own directory and request shapes.
enum ScenarioIdP: String, Sendable {
    /// Okta (OIN and AIW shapes, docs/IDP-BEHAVIOURS.md §1).
    case okta
    /// Microsoft Entra ID (default, non-flag shapes, docs/IDP-BEHAVIOURS.md §2).
    case entra
}

/// A user a scenario pushed.
struct ScenarioUser: Sendable {
    /// The SCIM id.
    var id: String
    /// The `userName`, also the user's name in rendered events.
    var userName: String
    /// Who pushed it.
    var idp: ScenarioIdP
}

/// A group a scenario pushed.
struct ScenarioGroup: Sendable {
    /// The SCIM id.
    var id: String
    /// The `displayName` it was created with.
    var name: String
    /// Who pushed it.
    var idp: ScenarioIdP
}

/// The readable names a scenario gives ids, so events and memberships render as short, exact lines.
actor ScenarioNames {
    private var labels: [String: String] = [:]
    private var createdNames: [String: String] = [:]
    private var directories: [String: String] = [:]
    private var teams: [String: Team] = [:]

    /// Names a user or group of a directory; a group's `createdName` is its `displayName` at creation.
    func register(_ id: String, as label: String, createdName: String? = nil, directoryID: String) {
        labels[id] = label
        createdNames[id] = createdName ?? label
        directories[id] = directoryID
    }

    /// Names a team by its slug.
    func register(_ team: Team) {
        labels[team.id] = team.slug
        teams[team.id] = team
    }

    /// The name of an id, or `?<id>` for one the scenario does not know.
    func label(_ id: String?) -> String {
        guard let id else { return "?nil" }
        return labels[id] ?? "?\(id)"
    }

    /// A group's name, with the `displayName` it carries now when that is not the one it was created with.
    func group(_ id: String?, displayName: String?) -> String {
        let label = label(id)
        guard let id, let displayName, let created = createdNames[id], created != displayName else { return label }
        return "\(label)→\(displayName)"
    }

    /// The directory of a user or group.
    func directory(of id: String?) -> String? {
        id.flatMap { directories[$0] }
    }

    /// A team the scenario made.
    func team(_ id: String?) -> Team? {
        id.flatMap { teams[$0] }
    }
}

/// Team-sync scenarios: a real store (SQLite in memory, or a fresh PostgreSQL database) behind the router, with an
/// Okta directory and an Entra directory, and helpers that send what each IdP sends and render the outbox and team
/// memberships as text.
struct TeamScenario: Sendable {
    /// The store, for teams, mappings, memberships and events.
    let store: any RosterStorage
    /// Okta's connection.
    let okta: IdentityProviderReplay
    /// Entra's connection.
    let entra: IdentityProviderReplay
    /// The names of ids.
    let names = ScenarioNames()

    /// The PatchOp message URN.
    static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    /// The connection of an IdP.
    func replay(_ idp: ScenarioIdP) -> IdentityProviderReplay {
        idp == .okta ? okta : entra
    }

    /// The directory id of an IdP.
    func directoryID(_ idp: ScenarioIdP) -> String {
        replay(idp).directory.id
    }

    // MARK: Users

    /// Pushes a user the way the IdP creates one (Okta §1.5, Entra §2.2); expects 201.
    func createUser(
        _ userName: String,
        active: Bool = true,
        on idp: ScenarioIdP = .okta,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ScenarioUser {
        let body: String
        switch idp {
        case .okta:
            body = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(userName)",
                 "name":{"givenName":"\#(userName.capitalized)","familyName":"Tester"},
                 "emails":[{"primary":true,"value":"\#(userName)@example.com","type":"work"}],
                 "displayName":"\#(userName.capitalized) Tester","locale":"en-US","externalId":"00u\#(userName)",
                 "groups":[],"password":"1mz050nq","active":\#(active)}
                """#
        case .entra:
            body = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId":"\#(UUID().uuidString.lowercased())","userName":"\#(userName)","active":\#(active),
                 "emails":[{"primary":true,"type":"work","value":"\#(userName)@example.com"}],"meta":{"resourceType":"User"},
                 "name":{"formatted":"\#(userName) Tester","familyName":"Tester","givenName":"\#(userName)"},"roles":[]}
                """#
        }
        let response = try await replay(idp).send(.post, "/Users", body: body)
        #expect(response.status == .created, "\(response.bodyText)", sourceLocation: sourceLocation)
        let id = try #require(try response.json()["id"]?.stringValue, sourceLocation: sourceLocation)
        await names.register(id, as: userName, directoryID: directoryID(idp))
        return ScenarioUser(id: id, userName: userName, idp: idp)
    }

    /// Sends a user PATCH with the given operations; expects 200 (Roster answers a User PATCH with the resource).
    @discardableResult
    func patch(
        _ user: ScenarioUser,
        _ operations: [String],
        expecting status: HTTPResponse.Status = .ok,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        let body = #"{"schemas":["\#(Self.patchOp)"],"Operations":[\#(operations.joined(separator: ","))]}"#
        let response = try await replay(user.idp).send(.patch, "/Users/\(user.id)", body: body)
        #expect(response.status == status, "\(response.bodyText)", sourceLocation: sourceLocation)
        return response
    }

    /// Okta AIW's deactivate or reactivate: `GET /Users/{id}`, then `PUT` of what GET returned with `active` set
    /// (docs/IDP-BEHAVIOURS.md §1.7, §1.8); expects 200.
    func put(_ user: ScenarioUser, active: Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let current = try await replay(user.idp).send(.get, "/Users/\(user.id)")
        #expect(current.status == .ok, "\(current.bodyText)", sourceLocation: sourceLocation)
        var body = try #require(try current.json().objectValue, sourceLocation: sourceLocation)
        body["active"] = .bool(active)
        let response = try await replay(user.idp).send(.put, "/Users/\(user.id)", body: JSONValue.object(body).serialized())
        #expect(response.status == .ok, "\(response.bodyText)", sourceLocation: sourceLocation)
        #expect(try response.json()["active"] == .bool(active), sourceLocation: sourceLocation)
    }

    /// `DELETE /Users/{id}`; expects 204.
    func delete(_ user: ScenarioUser, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await replay(user.idp).send(.delete, "/Users/\(user.id)")
        #expect(response.status == .noContent, "\(response.bodyText)", sourceLocation: sourceLocation)
    }

    /// Whether a user is active, read back with GET.
    func isActive(_ user: ScenarioUser) async throws -> Bool? {
        try await replay(user.idp).send(.get, "/Users/\(user.id)").json()["active"]?.boolValue
    }

    // MARK: Groups

    /// Pushes a group. Okta: the AIW `POST` with its members (docs/IDP-BEHAVIOURS.md §1.10). Entra: the `POST` with no
    /// members (§2.3), then one `Add members` PATCH when `members` is not empty. Expects 201.
    func createGroup(
        _ displayName: String,
        members: [ScenarioUser] = [],
        on idp: ScenarioIdP = .okta,
        label: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ScenarioGroup {
        let body: String
        switch idp {
        case .okta:
            body = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"\#(displayName)",
                 "members":\#(Self.memberList(members))}
                """#
        case .entra:
            body = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                 "externalId":"\#(UUID().uuidString.lowercased())","displayName":"\#(displayName)","meta":{"resourceType":"Group"}}
                """#
        }
        let response = try await replay(idp).send(.post, "/Groups", body: body)
        #expect(response.status == .created, "\(response.bodyText)", sourceLocation: sourceLocation)
        let id = try #require(try response.json()["id"]?.stringValue, sourceLocation: sourceLocation)
        await names.register(id, as: label ?? displayName, createdName: displayName, directoryID: directoryID(idp))
        let group = ScenarioGroup(id: id, name: displayName, idp: idp)
        if idp == .entra, !members.isEmpty {
            try await patch(group, [Ops.entraAdd(members)], sourceLocation: sourceLocation)
        }
        return group
    }

    /// Sends a group PATCH with the given operations; expects 204 (Roster's answer to a Group PATCH).
    @discardableResult
    func patch(
        _ group: ScenarioGroup,
        _ operations: [String],
        expecting status: HTTPResponse.Status = .noContent,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        let body = #"{"schemas":["\#(Self.patchOp)"],"Operations":[\#(operations.joined(separator: ","))]}"#
        let response = try await replay(group.idp).send(.patch, "/Groups/\(group.id)", body: body)
        #expect(response.status == status, "\(response.bodyText)", sourceLocation: sourceLocation)
        return response
    }

    /// Okta AIW's membership push: `GET /Groups/{id}`, then `PUT` with the full member list
    /// (docs/IDP-BEHAVIOURS.md §1.12); expects 200.
    func put(
        _ group: ScenarioGroup,
        displayName: String? = nil,
        members: [ScenarioUser],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let current = try await replay(group.idp).send(.get, "/Groups/\(group.id)")
        #expect(current.status == .ok, "\(current.bodyText)", sourceLocation: sourceLocation)
        let currentName = try current.json()["displayName"]?.stringValue
        let name = try #require(displayName ?? currentName, sourceLocation: sourceLocation)
        let body = #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"\#(group.id)","displayName":"\#(name)",
             "members":\#(Self.memberList(members))}
            """#
        let response = try await replay(group.idp).send(.put, "/Groups/\(group.id)", body: body)
        #expect(response.status == .ok, "\(response.bodyText)", sourceLocation: sourceLocation)
    }

    /// `DELETE /Groups/{id}` (Okta sends `Content-Type` on it); expects 204.
    func delete(_ group: ScenarioGroup, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await replay(group.idp).send(.delete, "/Groups/\(group.id)")
        #expect(response.status == .noContent, "\(response.bodyText)", sourceLocation: sourceLocation)
    }

    /// The userNames of a group's members, read back with GET, in the order the server lists them.
    func memberNames(_ group: ScenarioGroup) async throws -> [String] {
        let json = try await replay(group.idp).send(.get, "/Groups/\(group.id)").json()
        var result: [String] = []
        for member in json["members"]?.arrayValue ?? [] {
            result.append(await names.label(member["value"]?.stringValue))
        }
        return result
    }

    /// The members of a list as Okta sends them: `[{"value":…,"display":…}]`.
    static func memberList(_ members: [ScenarioUser]) -> String {
        "[" + members.map { #"{"value":"\#($0.id)","display":"\#($0.userName)"}"# }.joined(separator: ",") + "]"
    }

    // MARK: Teams

    /// Creates a team; its slug names it in rendered lines.
    func createTeam(_ name: String) async throws -> Team {
        let team = try await store.createTeam(name: name, slug: nil)
        await names.register(team)
        return team
    }

    /// Maps a group name to a team, for one IdP's directory or (nil) for every directory.
    func map(_ team: Team, _ groupName: String, on idp: ScenarioIdP?) async throws {
        _ = try await store.map(team: team.id, groupName: groupName, directoryID: idp.map(directoryID))
    }

    /// Removes a mapping.
    func unmap(_ team: Team, _ groupName: String, on idp: ScenarioIdP?) async throws {
        try await store.unmap(team: team.id, groupName: groupName, directoryID: idp.map(directoryID))
    }

    /// Adds a user to a team by hand.
    func addManually(_ user: ScenarioUser, to team: Team) async throws {
        try await store.addManualMember(team: team.id, directoryID: directoryID(user.idp), userID: user.id)
    }

    /// A team's members as lines `name: source, source`, with `(inactive)` after the name of a suspended member,
    /// in the store's order.
    func members(_ team: Team) async throws -> [String] {
        var lines: [String] = []
        for member in try await store.teamMembers(team.id) {
            var sources: [String] = []
            for source in member.sources {
                switch source {
                case .manual: sources.append("manual")
                case .group(let id, let displayName): sources.append(await names.group(id, displayName: displayName))
                }
            }
            let name = await names.label(member.userID)
            #expect(member.userName == name)
            lines.append("\(name)\(member.active ? "" : " (inactive)"): \(sources.joined(separator: ", "))")
        }
        return lines
    }

    /// Expects a team's members (see ``members(_:)``) to be exactly `expected`.
    func expectMembers(_ team: Team, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let actual = try await members(team)
        #expect(actual == expected, "members of \(team.slug)", sourceLocation: sourceLocation)
    }

    // MARK: Events

    /// The sequence of the last event written so far.
    func mark() async throws -> Int64 {
        try await store.events(after: 0, limit: 1_000_000).last?.sequence ?? 0
    }

    /// Expects the events after `sequence` (see ``events(after:sourceLocation:)``) to be exactly `expected`, in order.
    func expectEvents(
        after sequence: Int64,
        _ expected: [String],
        _ comment: Comment? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let actual = try await events(after: sequence, sourceLocation: sourceLocation)
        #expect(actual == expected, comment, sourceLocation: sourceLocation)
    }

    /// The events after `sequence`, rendered one a line (see ``render(_:)``), after checking each one's sequence,
    /// directory and key data fields against what the scenario knows.
    func events(after sequence: Int64, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        var previous = sequence
        var lines: [String] = []
        for event in try await store.events(after: sequence, limit: 1_000_000) {
            #expect(event.sequence > previous, sourceLocation: sourceLocation)
            previous = event.sequence
            #expect(event.id.hasPrefix("evt_"), sourceLocation: sourceLocation)
            try await check(event, sourceLocation: sourceLocation)
            lines.append(await render(event))
        }
        return lines
    }

    /// An event as a line:
    /// - `team.member_added <team slug> <userName>[ via <group>]`
    /// - `group.member_added <group> <userName>`
    /// - `user.deactivated <userName> was {"active":true}` (and `user.reactivated`)
    /// - `user.updated <userName> changed a,b` / `group.updated <group> changed a,b`
    /// - `user.created <userName>`, `group.deleted <group>` and the like.
    ///
    /// A group shows as the name it was created with (or its label), followed by `→<displayName>` when the event
    /// carries another name.
    func render(_ event: OutboxEvent) async -> String {
        let data = event.data
        switch event.type {
        case "team.member_added", "team.member_removed":
            var line = "\(event.type) \(await names.label(data["team"]?["id"]?.stringValue)) \(await names.label(data["user"]?["id"]?.stringValue))"
            if let group = data["source"]?["group"] {
                line += " via " + (await names.group(group["id"]?.stringValue, displayName: group["displayName"]?.stringValue))
            }
            return line
        case "group.member_added", "group.member_removed":
            let group = await names.group(data["group"]?["id"]?.stringValue, displayName: data["group"]?["displayName"]?.stringValue)
            return "\(event.type) \(group) \(await names.label(data["user"]?["id"]?.stringValue))"
        case "user.deactivated", "user.reactivated":
            return "\(event.type) \(await names.label(event.resourceID)) was \(event.previousAttributes?.serialized() ?? "nil")"
        case "user.updated":
            return "\(event.type) \(await names.label(event.resourceID)) changed \(event.previousAttributes?.keys.joined(separator: ",") ?? "nil")"
        case "group.updated":
            let group = await names.group(event.resourceID, displayName: data["displayName"]?.stringValue)
            return "\(event.type) \(group) changed \(event.previousAttributes?.keys.joined(separator: ",") ?? "nil")"
        case "group.created", "group.deleted":
            return "\(event.type) \(await names.group(event.resourceID, displayName: data["displayName"]?.stringValue))"
        default:
            return "\(event.type) \(await names.label(event.resourceID))"
        }
    }

    /// Checks what a line does not show: the directory, the resource id, and the names and slugs in `data`.
    private func check(_ event: OutboxEvent, sourceLocation: SourceLocation) async throws {
        let data = event.data
        let what = "\(event.type) \(event.data.serialized())"
        switch event.type {
        case "team.member_added", "team.member_removed":
            let teamID = try #require(data["team"]?["id"]?.stringValue, "\(what)", sourceLocation: sourceLocation)
            let team = try #require(await names.team(teamID), "unknown team in \(what)", sourceLocation: sourceLocation)
            #expect(event.resourceID == teamID, "\(what)", sourceLocation: sourceLocation)
            #expect(data["team"]?["name"]?.stringValue == team.name, "\(what)", sourceLocation: sourceLocation)
            #expect(data["team"]?["slug"]?.stringValue == team.slug, "\(what)", sourceLocation: sourceLocation)
            let userID = data["user"]?["id"]?.stringValue
            #expect(data["user"]?["userName"]?.stringValue == (await names.label(userID)), "\(what)", sourceLocation: sourceLocation)
            #expect(event.directoryID == (await names.directory(of: userID)), "\(what)", sourceLocation: sourceLocation)
            if let group = data["source"]?["group"] {
                #expect(await names.directory(of: group["id"]?.stringValue) == event.directoryID, "\(what)", sourceLocation: sourceLocation)
            }
            #expect(event.previousAttributes == nil, "\(what)", sourceLocation: sourceLocation)
        case "group.member_added", "group.member_removed":
            let groupID = data["group"]?["id"]?.stringValue
            let userID = data["user"]?["id"]?.stringValue
            #expect(event.resourceID == groupID, "\(what)", sourceLocation: sourceLocation)
            #expect(data["user"]?["userName"]?.stringValue == (await names.label(userID)), "\(what)", sourceLocation: sourceLocation)
            #expect(event.directoryID == (await names.directory(of: groupID)), "\(what)", sourceLocation: sourceLocation)
            #expect(event.directoryID == (await names.directory(of: userID)), "\(what)", sourceLocation: sourceLocation)
            #expect(event.previousAttributes == nil, "\(what)", sourceLocation: sourceLocation)
        default:
            #expect(event.directoryID == (await names.directory(of: event.resourceID)), "\(what)", sourceLocation: sourceLocation)
            if event.type.hasPrefix("user.") {
                #expect(data["userName"]?.stringValue == (await names.label(event.resourceID)), "\(what)", sourceLocation: sourceLocation)
            }
            let isUpdate = event.type.hasSuffix(".updated") || event.type.hasSuffix("activated")
            #expect((event.previousAttributes != nil) == isUpdate, "\(what)", sourceLocation: sourceLocation)
        }
    }
}

/// Runs `body` on a fresh store of `kind` behind the whole router, with an Okta and an Entra directory; the store
/// is torn down afterwards.
func withTeamScenario(_ kind: StoreKind, _ body: @Sendable (TeamScenario) async throws -> Void) async throws {
    try await kind.withStore { store in
        let oktaDirectory = try await makeDirectory(in: store, name: "Okta", provider: .okta)
        let entraDirectory = try await makeDirectory(in: store, name: "Entra", provider: .azure)
        let app = testApplication(store: store, configuration: testConfiguration())
        try await app.test(.router) { client in
            let scenario = TeamScenario(
                store: store,
                okta: try OktaReplayTests.okta(client, oktaDirectory),
                entra: EntraReplayTests.entra(client, entraDirectory)
            )
            try await body(scenario)
        }
    }
}

/// PATCH operations as Okta and Entra send them (docs/IDP-BEHAVIOURS.md §1.7, §1.11, §1.12, §2.2–§2.4).
enum Ops {
    /// Okta: `add members` with `value` and `display`.
    static func oktaAdd(_ members: [ScenarioUser]) -> String {
        #"{"op":"add","path":"members","value":\#(TeamScenario.memberList(members))}"#
    }

    /// Okta (and RFC): `remove members[value eq "…"]`, one member per operation.
    static func oktaRemove(_ member: ScenarioUser) -> String {
        #"{"op":"remove","path":"members[value eq \"\#(member.id)\"]"}"#
    }

    /// Okta's Push now: `replace members`, setting the list exactly (`[]` empties it).
    static func oktaReplaceMembers(_ members: [ScenarioUser]) -> String {
        #"{"op":"replace","path":"members","value":\#(TeamScenario.memberList(members))}"#
    }

    /// Okta's rename-style no-path replace carrying the group's own id, sent after every membership update.
    static func oktaRename(_ group: ScenarioGroup, to displayName: String) -> String {
        #"{"op":"replace","value":{"id":"\#(group.id)","displayName":"\#(displayName)"}}"#
    }

    /// Okta OIN's deactivate or reactivate: a no-path replace of `active`.
    static func oktaActive(_ active: Bool) -> String {
        #"{"op":"replace","value":{"active":\#(active)}}"#
    }

    /// Entra: `Add members` with `"$ref": null`.
    static func entraAdd(_ members: [ScenarioUser]) -> String {
        #"{"op":"Add","path":"members","value":[\#(members.map { #"{"$ref":null,"value":"\#($0.id)"}"# }.joined(separator: ","))]}"#
    }

    /// Entra (default mode) and JumpCloud: `Remove members` with a value list, removing only those listed.
    static func entraRemove(_ members: [ScenarioUser]) -> String {
        #"{"op":"Remove","path":"members","value":[\#(members.map { #"{"$ref":null,"value":"\#($0.id)"}"# }.joined(separator: ","))]}"#
    }

    /// RFC 7644 (and Microsoft's Postman collection): `remove members` with no value, emptying the group.
    static let removeAllMembers = #"{"op":"Remove","path":"members"}"#

    /// Entra: `Replace displayName`.
    static func entraRename(to displayName: String) -> String {
        #"{"op":"Replace","path":"displayName","value":"\#(displayName)"}"#
    }

    /// Entra's non-flag disable or enable: `Replace active` with the string `"False"` or `"True"`.
    static func entraActive(_ active: Bool) -> String {
        #"{"op":"Replace","path":"active","value":"\#(active ? "True" : "False")"}"#
    }
}
