import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import SCIM
import Testing

/// What Okta pushed into one directory of ``TwoDirectories``.
struct PushedDirectory: Sendable {
    /// The directory and its token.
    var directory: TestDirectory
    /// Okta's connection to it (Okta's headers and this directory's token).
    var okta: IdentityProviderReplay
    /// The user only this directory has.
    var ownUser: OktaBodies.User
    /// Its id.
    var ownUserID: String
    /// The id of the user whose userName (``TwoDirectories/sharedUserName``) both directories have.
    var sharedUserID: String
    /// The id of the group named ``TwoDirectories/sharedGroupName`` in both directories, holding both users.
    var sharedGroupID: String
    /// The name of the group only this directory has.
    var ownGroupName: String
    /// Its id, holding the own user.
    var ownGroupID: String

    /// The ids of its users.
    var userIDs: [String] { [ownUserID, sharedUserID] }
    /// The ids of its groups.
    var groupIDs: [String] { [sharedGroupID, ownGroupID] }
    /// The ids of everything it holds.
    var resourceIDs: [String] { userIDs + groupIDs }
}

/// Directories A and B on one in-memory SQLite store behind the whole router, each with users and groups pushed
/// with Okta's request shapes. A and B each have a user and a group of their own, and a userName and a group name
/// in common, so that lookups by name must be scoped to the directory as well as lookups by id.
struct TwoDirectories: Sendable {
    /// The userName both directories have.
    static let sharedUserName = "shared.user@example.com"
    /// The group name both directories have.
    static let sharedGroupName = "Engineering"

    /// The store.
    let store: SQLiteStore
    /// The connection.
    let client: any TestClientProtocol
    /// Directory A, whose token the tests use against B.
    let a: PushedDirectory
    /// Directory B.
    let b: PushedDirectory

    /// The settings tests' configuration without the limits that would turn many deliberate 401s into 429s.
    static var configuration: ServerConfiguration {
        var configuration = settingsConfiguration()
        configuration.failedAuthenticationsPerMinute = 1_000_000
        configuration.scimRequestsPerSecond = 0
        return configuration
    }

    /// Runs `body` on a fresh store with A and B pushed.
    static func run(_ body: @Sendable (TwoDirectories) async throws -> Void) async throws {
        let store = try SQLiteStore.inMemory()
        let directoryA = try await makeDirectory(in: store, name: "Directory A")
        let directoryB = try await makeDirectory(in: store, name: "Directory B")
        let app = testApplication(store: store, configuration: configuration)
        try await app.test(.router) { client in
            let a = try await push(into: directoryA, label: "a", client: client)
            let b = try await push(into: directoryB, label: "b", client: client)
            try await body(TwoDirectories(store: store, client: client, a: a, b: b))
        }
    }

    /// Pushes a directory's users and groups as Okta does: users, then groups with their members.
    private static func push(into directory: TestDirectory, label: String, client: any TestClientProtocol) async throws -> PushedDirectory {
        let okta = try OktaReplayTests.okta(client, directory)
        let ownUser = OktaBodies.User(
            userName: "\(label).only@example.com",
            givenName: label.uppercased(),
            familyName: "Only",
            email: "\(label).only@example.com",
            displayName: "\(label.uppercased()) Only",
            externalId: "00u\(label)only"
        )
        let sharedUser = OktaBodies.User(
            userName: sharedUserName,
            givenName: "Shared",
            familyName: label.uppercased(),
            email: sharedUserName,
            displayName: nil,
            externalId: "00u\(label)shared"
        )
        let ownUserID = try await create(OktaBodies.user(ownUser), at: "/Users", okta: okta)
        let sharedUserID = try await create(OktaBodies.user(sharedUser), at: "/Users", okta: okta)
        let members = [(ownUserID, ownUser.userName), (sharedUserID, sharedUserName)]
        let sharedGroupID = try await create(OktaBodies.group(displayName: sharedGroupName, members: members), at: "/Groups", okta: okta)
        let ownGroupName = "\(label.uppercased()) only group"
        let ownGroupID = try await create(
            OktaBodies.group(displayName: ownGroupName, members: [(ownUserID, ownUser.userName)]),
            at: "/Groups",
            okta: okta
        )
        return PushedDirectory(
            directory: directory,
            okta: okta,
            ownUser: ownUser,
            ownUserID: ownUserID,
            sharedUserID: sharedUserID,
            sharedGroupID: sharedGroupID,
            ownGroupName: ownGroupName,
            ownGroupID: ownGroupID
        )
    }

    /// POSTs `body` to `path` and returns the new resource's id; expects 201.
    private static func create(_ body: String, at path: String, okta: IdentityProviderReplay) async throws -> String {
        let response = try await okta.send(.post, path, body: body)
        #expect(response.status == .created, "\(response.bodyText)")
        return try #require(try response.json()["id"]?.stringValue)
    }

    /// Everything `pushed` holds as its own token reads it: each user and group by id (with `meta.version`, so any
    /// write shows), and both lists.
    func contents(of pushed: PushedDirectory) async throws -> [String: JSONValue] {
        var contents: [String: JSONValue] = [:]
        for id in pushed.userIDs {
            contents["/Users/\(id)"] = try await readJSON("/Users/\(id)", in: pushed)
        }
        for id in pushed.groupIDs {
            contents["/Groups/\(id)"] = try await readJSON("/Groups/\(id)", in: pushed)
        }
        contents["/Users"] = try await readJSON("/Users", in: pushed)
        contents["/Groups"] = try await readJSON("/Groups", in: pushed)
        return contents
    }

    /// A GET with the directory's own token; expects 200.
    private func readJSON(_ path: String, in pushed: PushedDirectory) async throws -> JSONValue {
        let response = try await pushed.okta.send(.get, path)
        #expect(response.status == .ok, "\(path): \(response.bodyText)")
        return try response.json()
    }
}
