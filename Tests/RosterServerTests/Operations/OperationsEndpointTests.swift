import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterTestSupport
import SCIM
import Testing

@testable import RosterServer

/// Health and readiness, rate limits, and backups.
@Suite struct OperationsEndpointTests {
    @Test func healthAndReadinessAnswerWithoutAuthentication() async throws {
        try await withRouterApp { client, _ in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            let id = health.headers.first { $0.name.canonicalName == "x-request-id" }?.value
            #expect(id?.isEmpty == false, "every response names its request id")
            #expect(try health.json()["status"]?.stringValue == "ok")
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(try ready.json()["status"]?.stringValue == "ready")
        }
    }

    /// A store that is not ready.
    struct BrokenStore: StoreReadiness {
        func readinessProblem() async -> String? { "the database does not accept writes: disk I/O error" }
        func checkpoint() async throws {}
        func backup(to path: String) async throws {}
    }

    @Test func readinessIs503WhenTheStoreIsNotReady() async throws {
        let router = Router(context: AppRequestContext.self)
        HealthController(store: BrokenStore()).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(try ready.json()["detail"]?.stringValue == "the database does not accept writes: disk I/O error")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok, "alive, though not ready")
        }
    }

    @Test func aDirectoryOverItsRateGets429WithRetryAfter() async throws {
        let configuration = ServerConfiguration(port: 0, baseURL: testBaseURL, scimRequestsPerSecond: 0.01, scimBurst: 3)
        try await withRouterApp(store: try makeStore(), configuration: configuration) { client, directory in
            for _ in 0..<3 {
                #expect(try await client.scim(.get, "/Users", in: directory).status == .ok)
            }
            let limited = try await client.scim(.get, "/Users", in: directory)
            try expectSCIMError(limited, status: 429)
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect(retryAfter >= 90 && retryAfter <= 100, "one token every 100 s")
        }
    }

    @Test func repeatedWrongTokensFromOneAddressAreHeldOff() async throws {
        let configuration = ServerConfiguration(port: 0, baseURL: testBaseURL, failedAuthenticationsPerMinute: 3)
        try await withRouterApp(store: try makeStore(), configuration: configuration) { client, directory in
            let wrong = TestDirectory(id: directory.id, token: "guess")
            for _ in 0..<3 {
                #expect(try await client.scim(.get, "/Users", in: wrong).status == .unauthorized)
            }
            let heldOff = try await client.scim(.get, "/Users", in: wrong)
            try expectSCIMError(heldOff, status: 429)
            #expect(heldOff.headers[.retryAfter] == "60")
            #expect(try await client.scim(.get, "/Users", in: directory).status == .tooManyRequests, "no token is checked while held off")
        }
    }

    @Test func aBackupIsAConsistentCopyTakenWhileServing() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("roster.sqlite").path)
        let directory = try await makeDirectory(in: store)
        _ = try await store.createTeam(name: "Platform", slug: nil)
        let copy = folder.appendingPathComponent("copy.sqlite").path
        try await store.backup(to: copy)
        let restored = try SQLiteStore(path: copy)
        #expect(try await restored.directory(id: directory.id) != nil)
        #expect(try await restored.teams().map(\.name) == ["Platform"])
        await #expect(throws: (any Error).self) { try await store.backup(to: copy) }
        try await store.checkpoint()
    }
}

/// `/metrics` in the Prometheus format.
@Suite struct MetricsEndpointTests {
    @Test func requestsUsersGroupsAndBacklogAreExported() async throws {
        let store = try await makeStore()
        var configuration = testConfiguration()
        configuration.metricsToken = "scrape-secret"
        try await withRouterApp(store: store, configuration: configuration) { client, directory in
            let user = try await client.createUser(named: "alice@example.com", in: directory)
            _ = try await client.createGroup(named: "Engineering", members: [user], in: directory)
            _ = try await client.scim(.get, "/Users/\(user)", in: directory)
            _ = try await client.scim(.get, "/Users", in: TestDirectory(id: "made-up", token: "nope"))
            _ = try await store.createWebhookEndpoint(url: "http://127.0.0.1:9/hook", eventTypes: [], secret: "s")
            _ = try await client.createUser(named: "bob@example.com", in: directory)
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-secret"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = response.bodyText
            #expect(text.contains(#"roster_scim_requests_total{directory="\#(directory.id)",operation="create_user",status="201"} 2"#), "\(text)")
            #expect(text.contains(#"roster_scim_requests_total{directory="\#(directory.id)",operation="get_user",status="200"} 1"#))
            #expect(text.contains(#"roster_scim_requests_total{directory="unauthenticated",operation="list_users",status="401"} 1"#))
            #expect(!text.contains("made-up"), "unknown directory ids do not become labels")
            #expect(text.contains(#"roster_scim_request_duration_seconds_bucket{operation="create_user""#))
            #expect(text.contains(#"roster_users{directory="\#(directory.id)",state="active"} 2"#))
            #expect(text.contains(#"roster_groups{directory="\#(directory.id)"} 1"#))
            #expect(text.contains("roster_webhook_backlog{endpoint="))
            #expect(!text.contains("alice@example.com"))
        }
    }

    @Test func withoutATokenTheMetricsAreOff() async throws {
        let store = try await makeStore()
        try await withRouterApp(store: store) { client, directory in
            _ = try await client.createUser(named: "alice@example.com", in: directory)
            for headers: HTTPFields in [[:], [.authorization: "Bearer anything"]] {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: headers)
                #expect(response.status == .notFound)
                let text = String(buffer: response.body)
                #expect(!text.contains("roster_"))
                #expect(!text.contains(directory.id))
                #expect(text.contains("METRICS_TOKEN"))
            }
        }
    }

    @Test func withATokenOnlyAScrapeThatPresentsItGetsTheMetrics() async throws {
        let store = try await makeStore()
        let directory = try await makeDirectory(in: store)
        var configuration = testConfiguration()
        configuration.metricsToken = "scrape-secret"
        let app = testApplication(store: store, configuration: configuration)
        try await app.test(.router) { client in
            for headers: HTTPFields in [[:], [.authorization: "Bearer scrape-secreT"], [.authorization: "Basic scrape-secret"]] {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="metrics""#)
                #expect(!String(buffer: response.body).contains("roster_"))
            }
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-secret"])
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains(#"roster_groups{directory="\#(directory.id)"} 0"#))
        }
    }

    /// A client held off for wrong tokens gets 429 without any token being checked: its path's directory id (real
    /// or made up) never becomes a label either.
    @Test func aHeldOffClientNeverCreatesALabelFromItsPath() async throws {
        var configuration = ServerConfiguration(port: 0, baseURL: testBaseURL, failedAuthenticationsPerMinute: 2)
        configuration.metricsToken = "scrape-secret"
        try await withRouterApp(store: try makeStore(), configuration: configuration) { client, directory in
            let guessed = TestDirectory(id: "guessed-\(UUID().uuidString)", token: "nope")
            for _ in 0..<2 { #expect(try await client.scim(.get, "/Users", in: guessed).status == .unauthorized) }
            #expect(try await client.scim(.get, "/Users", in: guessed).status == .tooManyRequests)
            #expect(try await client.scim(.get, "/Users", in: directory).status == .tooManyRequests, "even with the right token")
            let text = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-secret"]).bodyText
            #expect(!text.contains(guessed.id))
            #expect(!text.contains(#"roster_scim_requests_total{directory="\#(directory.id)""#), "not checked, so not the directory's")
            #expect(text.contains(#"roster_scim_requests_total{directory="unauthenticated",operation="list_users",status="429"} 2"#), "\(text)")
        }
    }

    @Test func operationsAreNamedFromTheMatchedRoute() throws {
        let routes = SCIMController(store: try SQLiteStore.inMemory(), configuration: testConfiguration()).routes()
        let base: RouterPath = "/api/scim/v2.0/{directoryId}"
        let table = SCIMOperationTable(routes, base: base)
        let operation = { (method: HTTPRequest.Method, path: String) in table.operation(endpointPath: path, method: method).description }
        #expect(operation(.get, "/api/scim/v2.0/{directoryId}/Users") == "list_users")
        #expect(operation(.post, "/api/scim/v2.0/{directoryId}/Users") == "create_user")
        #expect(operation(.get, "/api/scim/v2.0/{directoryId}/Groups/{id}") == "get_group")
        #expect(operation(.patch, "/api/scim/v2.0/{directoryId}/Groups/{id}") == "patch_group")
        #expect(operation(.delete, "/api/scim/v2.0/{directoryId}/Users/{id}") == "delete_user")
        #expect(operation(.post, "/api/scim/v2.0/{directoryId}/Users/.search") == "search_users")
        #expect(operation(.post, "/api/scim/v2.0/{directoryId}/.search") == "search")
        #expect(operation(.get, "/api/scim/v2.0/{directoryId}/ServiceProviderConfig") == "discovery")
        #expect(operation(.get, "/api/scim/v2.0/{directoryId}/Schemas/{id}") == "discovery")
        #expect(operation(.get, "/api/scim/v2.0/{directoryId}") == "root")
        #expect(operation(.get, "/api/scim/v2.0/{directoryId}/**") == "other", "the catch-all of unknown paths")
        #expect(operation(.delete, "/api/scim/v2.0/{directoryId}/Users") == "other", "a 405")
        #expect(table.operation(endpointPath: nil, method: .get) == .other)
        // Every route the controller adds has its operation under the path Hummingbird reports for it.
        for route in routes {
            #expect(table.operation(endpointPath: base.appendingPath(route.path).description, method: route.method) == route.operation)
        }
    }

    @Test func theOperationLabelComesFromTheRouteThatMatched() async throws {
        var configuration = testConfiguration()
        configuration.metricsToken = "scrape-secret"
        try await withRouterApp(store: try makeStore(), configuration: configuration) { client, directory in
            #expect(try await client.scim(.get, "/Users", in: directory).status == .ok)
            #expect(try await client.scim(.get, "/Users/nope", in: directory).status == .notFound)
            #expect(try await client.scim(.get, "/Users/a/b/c", in: directory).status == .notFound)
            #expect(try await client.scim(.options, "/Groups", in: directory).status == .notFound)
            let text = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-secret"]).bodyText
            let label = #"roster_scim_requests_total{directory="\#(directory.id)""#
            #expect(text.contains(label + #",operation="list_users",status="200"} 1"#), "\(text)")
            #expect(text.contains(label + #",operation="get_user",status="404"} 1"#), "\(text)")
            #expect(text.contains(label + #",operation="other",status="404"} 2"#), "an unknown path and OPTIONS: \(text)")
        }
    }
}
