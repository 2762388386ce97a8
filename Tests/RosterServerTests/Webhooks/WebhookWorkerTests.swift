import AsyncHTTPClient
import Foundation
import Logging
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import SCIM
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The webhook worker against real local HTTP receivers: signatures, order, retries, restarts, dead letters,
/// redelivery, and independence of endpoints.
@Suite struct WebhookWorkerTests {
    /// A fast worker: polls every 20 ms, retries after 50–100 ms, gives up after `window`.
    static func worker(
        _ store: SQLiteStore,
        window: Int64 = 60_000,
        timeout: Duration = .seconds(5),
        transport: any WebhookTransport = HTTPClientWebhookTransport()
    ) -> WebhookWorker<SQLiteStore> {
        WebhookWorker(
            store: store,
            transport: transport,
            configuration: WebhookWorkerConfiguration(
                pollInterval: .milliseconds(20),
                requestTimeout: timeout,
                retryPolicy: RetryPolicy(initialDelay: 100, maximumDelay: 100, window: window, jitter: 0.5)
            ),
            logger: testLogger()
        )
    }

    /// Runs the worker while `body` runs.
    static func running<T: Sendable>(_ worker: WebhookWorker<SQLiteStore>, _ body: () async throws -> T) async throws -> T {
        let task = Task { await worker.superviseEndpoints() }
        defer { task.cancel() }
        let result = try await body()
        task.cancel()
        await task.value
        return result
    }

    /// Makes `count` users, each a `user.created` event; returns their sequence numbers.
    static func makeEvents(_ store: SQLiteStore, directoryID: String, count: Int, prefix: String = "user") async throws -> [Int64] {
        let before = try await store.events(after: 0, limit: 100_000).last?.sequence ?? 0
        for index in 0..<count {
            let body: JSONValue = .object(
                JSONObject([
                    ("schemas", .array([.string(SCIMSchemaURN.user)])),
                    ("userName", .string("\(prefix)\(index)@example.com")),
                ])
            )
            _ = try await store.create(.user, directoryID: directoryID, input: try ResourceNormalizer.normalize(body, schema: .user))
        }
        return try await store.events(after: before, limit: 100_000).map(\.sequence)
    }

    /// Waits until `condition` holds, for at most `seconds`.
    static func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    @Test func deliveriesAreSignedAndInOrder() async throws {
        let store = try SQLiteStore.inMemory()
        let directory = try await makeDirectory(in: store)
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            let endpoint = try await store.createWebhookEndpoint(url: url, eventTypes: [], secret: "whsec_test_secret")
            let sequences = try await Self.makeEvents(store, directoryID: directory.id, count: 5)
            try await Self.running(Self.worker(store)) {
                let allFive = try await Self.eventually {
                    let recorded = try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10)
                    return recorded.count == 5 && recorded.allSatisfy { $0.state == .delivered }
                }
                #expect(allFive)
            }
            #expect(await receiver.delivered == sequences)
            let now = Int64(Date().timeIntervalSince1970)
            for request in await receiver.received {
                #expect(WebhookSignature.verify(header: request.signature, secret: endpoint.secret, body: request.body, now: now))
                #expect(request.eventID.hasPrefix("evt_"))
                let json = try JSONParser().parse(request.body)
                #expect(json.objectValue?.keys == ["id", "type", "sequence", "created_at", "directory_id", "data", "previous_attributes"])
                #expect(json.objectValue?["id"]?.stringValue == request.eventID)
            }
            let deliveries = try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10)
            #expect(deliveries.allSatisfy { $0.state == .delivered && $0.attempts == 1 && $0.lastStatus == 200 })
        }
    }

    @Test func eventsBeforeTheEndpointExistedAndOtherTypesAreNotSent() async throws {
        let store = try SQLiteStore.inMemory()
        let directory = try await makeDirectory(in: store)
        _ = try await Self.makeEvents(store, directoryID: directory.id, count: 2, prefix: "early")
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            _ = try await store.createWebhookEndpoint(url: url, eventTypes: ["user.deleted"], secret: "s")
            let all = try await store.createWebhookEndpoint(url: url, eventTypes: [], secret: "s")
            let sequences = try await Self.makeEvents(store, directoryID: directory.id, count: 2, prefix: "late")
            try await Self.running(Self.worker(store)) {
                let bothQueuedAndSent = try await Self.eventually {
                    let queued = try await store.webhookDeliveries(endpointID: all.id, limit: 10).count
                    let delivered = await receiver.delivered.count
                    return queued == 2 && delivered == 2
                }
                #expect(bothQueuedAndSent)
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(await receiver.delivered == sequences, "only the later user.created events, to the all-types endpoint")
        }
    }

    @Test func failuresAreRetriedAndDeliveredOnceInOrder() async throws {
        let store = try SQLiteStore.inMemory()
        let directory = try await makeDirectory(in: store)
        let receiver = WebhookReceiver(failures: 3)
        try await receiver.serve { url in
            let endpoint = try await store.createWebhookEndpoint(url: url, eventTypes: [], secret: "s")
            let sequences = try await Self.makeEvents(store, directoryID: directory.id, count: 3)
            try await Self.running(Self.worker(store)) {
                let allThree = try await Self.eventually {
                    let recorded = try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10)
                    return await receiver.delivered.count == 3 && recorded.allSatisfy { $0.state == .delivered }
                }
                #expect(allThree)
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(await receiver.delivered == sequences, "each once, in order")
            #expect(await receiver.received.map(\.sequence) == [sequences[0], sequences[0], sequences[0], sequences[0]] + sequences.dropFirst())
            let first = try #require(try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10).last)
            #expect(first.attempts == 4)
            #expect(first.state == .delivered)
        }
    }

    @Test func aReceiverDownAcrossARestartGetsEverythingAfterwards() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-webhooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("roster.sqlite").path

        // Before the restart: the receiver is down (nothing listens on the port), so every attempt fails. Each side
        // of the restart has its own HTTP client, as two processes would.
        let port = try Self.unusedPort()
        let url = "http://127.0.0.1:\(port)/hook"
        var sequences: [Int64] = []
        do {
            let store = try SQLiteStore(path: path)
            let directory = try await makeDirectory(in: store)
            let endpoint = try await store.createWebhookEndpoint(url: url, eventTypes: [], secret: "s")
            sequences = try await Self.makeEvents(store, directoryID: directory.id, count: 4)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            try await Self.running(Self.worker(store, timeout: .milliseconds(300), transport: HTTPClientWebhookTransport(client: client))) {
                let retried = try await Self.eventually {
                    (try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10).last?.attempts ?? 0) >= 2
                }
                #expect(retried)
            }
            try await client.shutdown()
            let pending = try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10)
            #expect(pending.count == 4 && pending.allSatisfy { $0.state == .pending }, "\(pending)")
        }
        // After the restart: a new store on the same file, a new worker, and the receiver up on that port.
        let store = try SQLiteStore(path: path)
        let receiver = WebhookReceiver()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await receiver.serve(port: port) {
            try await Self.running(Self.worker(store, transport: HTTPClientWebhookTransport(client: client))) {
                let allFour = try await Self.eventually { await receiver.delivered.count == 4 }
                #expect(allFour)
            }
        }
        try await client.shutdown()
        #expect(await receiver.delivered == sequences)
    }

    @Test func afterTheWindowADeliveryIsDeadLetteredAndCanBeRedelivered() async throws {
        let store = try SQLiteStore.inMemory()
        let directory = try await makeDirectory(in: store)
        let receiver = WebhookReceiver(failures: 1_000)
        try await receiver.serve { url in
            let endpoint = try await store.createWebhookEndpoint(url: url, eventTypes: [], secret: "s")
            let sequences = try await Self.makeEvents(store, directoryID: directory.id, count: 2)
            try await Self.running(Self.worker(store, window: 300)) {
                let allDead = try await Self.eventually {
                    let deliveries = try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10)
                    return deliveries.count == 2 && deliveries.allSatisfy { $0.state == .dead }
                }
                #expect(allDead)
            }
            let dead = try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10)
            #expect(dead.count == 2)
            #expect(dead.allSatisfy { $0.attempts >= 2 && $0.lastStatus == 500 })
            #expect(await receiver.delivered.isEmpty)

            await receiver.fail(next: 0)
            #expect(try await store.redeliverWebhook(endpointID: endpoint.id, sequence: sequences[1], at: 0))
            try await Self.running(Self.worker(store, window: 300)) {
                let redelivered = try await Self.eventually {
                    let states = try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10).map(\.state)
                    return await receiver.delivered == [sequences[1]] && states == [.delivered, .dead]
                }
                #expect(redelivered)
            }
            let states = try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10).map(\.state)
            #expect(states == [.delivered, .dead])
            #expect(try await store.redeliverWebhook(endpointID: endpoint.id, sequence: 999_999, at: 0) == false)
        }
    }

    /// Two replicas' workers on one store: each endpoint has one owner, so every event arrives once, in order.
    @Test func twoWorkersOnOneStoreDeliverEachEventOnceInOrder() async throws {
        let store = try SQLiteStore.inMemory()
        let directory = try await makeDirectory(in: store)
        let first = WebhookReceiver()
        let second = WebhookReceiver()
        try await first.serve { firstURL in
            try await second.serve { secondURL in
                _ = try await store.createWebhookEndpoint(url: firstURL, eventTypes: [], secret: "s")
                _ = try await store.createWebhookEndpoint(url: secondURL, eventTypes: [], secret: "s")
                var sequences = try await Self.makeEvents(store, directoryID: directory.id, count: 6)
                try await Self.running(Self.worker(store)) {
                    try await Self.running(Self.worker(store)) {
                        sequences += try await Self.makeEvents(store, directoryID: directory.id, count: 6, prefix: "later")
                        // Generous: the whole suite runs in parallel on two cores.
                        let all = try await Self.eventually(60) {
                            let (a, b) = (await first.delivered.count, await second.delivered.count)
                            return a >= 12 && b >= 12
                        }
                        #expect(all)
                        try await Task.sleep(for: .milliseconds(300))
                    }
                }
                #expect(await first.received.map(\.sequence) == sequences, "once each, in order")
                #expect(await second.received.map(\.sequence) == sequences, "once each, in order")
            }
        }
    }

    /// A replica that died holding an endpoint's lease: nothing is sent until the lease lapses, then the surviving
    /// worker takes the endpoint over and delivers from the lowest pending event.
    @Test func aDeadOwnersLeaseLapsesAndAnotherWorkerTakesOver() async throws {
        let store = try SQLiteStore.inMemory()
        let directory = try await makeDirectory(in: store)
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            let endpoint = try await store.createWebhookEndpoint(url: url, eventTypes: [], secret: "s")
            let sequences = try await Self.makeEvents(store, directoryID: directory.id, count: 3)
            #expect(try await store.claimWebhookLease(endpointID: endpoint.id, owner: "dead-replica:1:x", duration: 1_500))
            let claimed = ContinuousClock.now
            try await Self.running(Self.worker(store)) {
                try await Task.sleep(for: .milliseconds(1_000))
                #expect(await receiver.received.isEmpty, "nothing while the dead owner's lease runs")
                let all = try await Self.eventually { await receiver.delivered.count == 3 }
                #expect(all)
                #expect(ContinuousClock.now - claimed >= .milliseconds(1_500))
            }
            #expect(await receiver.delivered == sequences)
        }
    }

    @Test func aSlowEndpointDoesNotHoldUpAnother() async throws {
        let store = try SQLiteStore.inMemory()
        let directory = try await makeDirectory(in: store)
        // The slow endpoint takes 12 s an answer (the worker waits up to 30 s): the fast one must have all five
        // before the slow one has answered its first. No wall-clock bound of its own: a CI machine running the whole
        // suite beside it took 5 s for the fast five.
        let slow = WebhookReceiver(delay: .seconds(12))
        let fast = WebhookReceiver()
        try await slow.serve { slowURL in
            try await fast.serve { fastURL in
                _ = try await store.createWebhookEndpoint(url: slowURL, eventTypes: [], secret: "s")
                _ = try await store.createWebhookEndpoint(url: fastURL, eventTypes: [], secret: "s")
                let sequences = try await Self.makeEvents(store, directoryID: directory.id, count: 5)
                try await Self.running(Self.worker(store, timeout: .seconds(30))) {
                    let fastGotAll = try await Self.eventually(30) { await fast.delivered.count == 5 }
                    #expect(fastGotAll)
                    #expect(await slow.delivered.isEmpty, "the fast endpoint got all five while the slow one was on its first")
                }
                #expect(await fast.delivered == sequences)
            }
        }
    }

    /// A loopback port nothing listens on (bound, then released).
    static func unusedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileReadUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
