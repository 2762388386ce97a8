import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterTestSupport
import Testing

@testable import RosterServer

/// Two routers on one store stand for two replicas behind a load balancer: whatever a browser needs from one request
/// to the next (a secret shown once, a flash message, the request log) must not depend on which one answers.
@Suite("State shared by replicas")
struct ReplicaSharedStateTests {
    /// Runs `body` with two replicas' clients on one store; each replica has its own request log batch.
    static func withReplicas(
        store: SQLiteStore,
        configuration: ServerConfiguration = settingsConfiguration(),
        _ body: @escaping @Sendable (_ first: any TestClientProtocol, _ second: any TestClientProtocol, _ logs: [RequestLog]) async throws -> Void
    ) async throws {
        let logs = [RequestLog(store: store), RequestLog(store: store)]
        let apps = logs.map { log in
            Application(
                router: buildRouter(configuration: configuration, store: store, logger: testLogger(), requestLog: log),
                configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                logger: testLogger()
            )
        }
        let second = apps[1]
        try await apps[0].test(.router) { first in
            try await second.test(.router) { secondClient in
                try await body(first, secondClient, logs)
            }
        }
    }

    @Test func aNewTokenIsShownOnceWhicheverReplicaShowsThePage() async throws {
        let store = try SQLiteStore.inMemory()
        try await Self.withReplicas(store: store) { first, second, _ in
            let signedIn = try await SettingsBrowser.signIn(first, store: store)
            let onSecond = SettingsBrowser(client: second, cookie: signedIn.cookie)
            let created = try await signedIn.post("/settings/organization/dsync/directories", [("name", "Okta"), ("provider", "okta")])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let page = try await onSecond.get(location).bodyText
            let token = try #require(
                page.firstCapture(of: #/id="scim-bearer-token" readonly value="([^"]+)"/#),
                "the token is shown on the other replica"
            )
            #expect(page.contains("class=\"flash"), "with the flash message")
            #expect(try await onSecond.get(location).bodyText.contains(token) == false, "shown once")
            #expect(try await signedIn.get(location).bodyText.contains(token) == false, "and not on the first replica either")

            let directoryID = String(location.split(separator: "/").last ?? "")
            let regenerated = try await onSecond.post(location + "/token", [])
            #expect(regenerated.status == .seeOther)
            let newToken = try #require(
                try await signedIn.get(location).bodyText.firstCapture(of: #/id="scim-bearer-token" readonly value="([^"]+)"/#),
                "regenerated on the second, shown on the first"
            )
            #expect(newToken != token)
            let scim = try await first.execute(
                uri: "/api/scim/v2.0/\(directoryID)/Users",
                method: .get,
                headers: [.authorization: "Bearer \(newToken)"]
            )
            #expect(scim.status == .ok)
        }
    }

    @Test func aSecretWaitsSealedWithTheSessionAndOnlyItOpensIt() async throws {
        let store = try SQLiteStore.inMemory()
        let flashes = FlashMessages(store: store)
        let owner = FlashOwner(sessionToken: "session-token")
        let secret = "scim_" + String(repeating: "s", count: 40)
        try await flashes.reveal(token: secret, key: "dir", for: owner)
        let sealed = try #require(try await store.takeFlash(sessionHash: owner.sessionHash, key: "secret:dir", at: WallClock.millisecondsSince1970()))
        #expect(String(decoding: sealed, as: UTF8.self).contains(secret) == false, "not stored in the clear")
        #expect(SessionSecretBox(sessionToken: "another-session").open(sealed) == nil, "another session's key cannot open it")
        #expect(owner.box.open(sealed) == secret)

        try await flashes.reveal(token: secret, key: "dir", for: owner)
        let stranger = FlashOwner(sessionToken: "another-session")
        #expect(try await flashes.takeToken(key: "dir", for: stranger) == nil, "another session finds nothing")
        #expect(try await flashes.takeToken(key: "dir", for: owner) == secret)
        #expect(try await flashes.takeToken(key: "dir", for: owner) == nil)
    }

    @Test func theRequestLogShowsRequestsEveryReplicaAnswered() async throws {
        let store = try SQLiteStore.inMemory()
        try await Self.withReplicas(store: store) { first, second, logs in
            let directory = try await makeDirectory(in: store)
            let browser = try await SettingsBrowser.signIn(second, store: store)
            _ = try await first.scim(.get, "/Users?filter=userName%20eq%20%22first%40example.com%22", in: directory)
            _ = try await second.scim(.get, "/Groups", in: directory)
            let path = "/settings/organization/dsync/directories/\(directory.id)/requests"
            var page = try await browser.get(path).bodyText
            #expect(page.contains("/Groups"), "its own requests at once")
            #expect(!page.contains("first@example.com"), "the other replica's batch is not written yet")
            try await logs[0].flush()
            page = try await browser.get(path).bodyText
            #expect(page.contains("first@example.com"), "written by the other replica's flush")
        }
    }
}
