import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterTestSupport
import SCIM
import Testing

@testable import RosterServer

/// The per-directory limit on requests in flight, which stops a flood without throttling a sequential client.
@Suite struct ConcurrencyLimitTests {
    @Test func theDefaultsLimitParallelRequestsNotRate() {
        let defaults = ServerConfiguration()
        #expect(defaults.scimRequestsPerSecond == 0, "a sequential import or conformance run is never throttled by rate")
        #expect(defaults.scimConcurrentRequests == ServerConfiguration.defaultConcurrentRequests)
        #expect(defaults.scimConcurrentRequests >= 8 && defaults.scimConcurrentRequests <= 64)
    }

    @Test func aKeyIsAdmittedUpToTheLimitAndForgottenWhenIdle() {
        let limiter = ConcurrencyLimiter(limit: 2)
        #expect(limiter.enter("a"))
        #expect(limiter.enter("a"))
        #expect(!limiter.enter("a"))
        #expect(limiter.enter("b"), "another key has its own count")
        limiter.leave("a")
        #expect(limiter.count("a") == 1)
        #expect(limiter.enter("a"))
        limiter.leave("a")
        limiter.leave("a")
        limiter.leave("b")
        #expect(limiter.count("a") == 0 && limiter.count("b") == 0)
    }

    @Test func aFloodOfParallelRequestsGets429WhileAdmittedOnesFinish() async throws {
        let store = try await makeStore()
        let flooded = try await makeDirectory(in: store)
        let other = try await makeDirectory(in: store, name: "Other")
        let limit = ServerConfiguration().scimConcurrentRequests
        let gate = RequestGate()
        let router = Router(context: AppRequestContext.self)
        let users = SCIMRoute(path: "Users", method: .get, operation: .other) { _, _ in
            try await gate.pass()
            return Response(status: .ok)
        }
        router.group("/api/scim/v2.0/{directoryId}", context: SCIMRequestContext.self).add(
            middleware: SCIMRequestMiddleware(
                admission: SCIMAdmission(
                    store: store,
                    failedAttempts: nil,
                    requestsPerDirectory: nil,
                    concurrentPerDirectory: ConcurrencyLimiter(limit: limit)
                ),
                operations: SCIMOperationTable([users], base: "/api/scim/v2.0/{directoryId}"),
                requestLog: nil,
                metrics: nil,
                maxBodyBytes: 1024
            )
        ).on(users.path, method: users.method, use: users.handler)
        let app = Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)), logger: testLogger())
        try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<limit {
                    group.addTask { try await client.scim(.get, "/Users", in: flooded).status }
                }
                try await gate.waitUntil(entered: limit)
                for _ in 0..<3 {
                    let refused = try await client.scim(.get, "/Users", in: flooded)
                    try expectSCIMError(refused, status: 429)
                    #expect(refused.headers[.retryAfter] == "1")
                }
                group.addTask { try await client.scim(.get, "/Users", in: other).status }
                try await gate.waitUntil(entered: limit + 1)
                await gate.open()
                var statuses: [HTTPResponse.Status] = []
                for try await status in group { statuses.append(status) }
                #expect(statuses.count == limit + 1)
                #expect(statuses.allSatisfy { $0 == .ok }, "every admitted request finished")
            }
            #expect(try await client.scim(.get, "/Users", in: flooded).status == .ok, "the directory is admitted again once they finish")
        }
    }
}

/// Holds requests in a handler until opened, counting those that arrived.
actor RequestGate {
    private var entered = 0
    private var isOpen = false
    private var held: [CheckedContinuation<Void, Never>] = []

    /// Counts a request and waits until the gate opens.
    func pass() async throws {
        entered += 1
        guard !isOpen else { return }
        await withCheckedContinuation { held.append($0) }
    }

    /// Lets every held request and every later one through.
    func open() {
        isOpen = true
        for continuation in held { continuation.resume() }
        held = []
    }

    /// Waits (up to 10 s) until `count` requests have arrived.
    func waitUntil(entered count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while entered < count {
            guard ContinuousClock.now < deadline else {
                Issue.record("only \(entered) of \(count) requests arrived")
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
