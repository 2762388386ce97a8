import RosterCore
import RosterTestSupport
import Testing

/// Webhook endpoints and deliveries (``WebhookStore``) through the protocol, on every store: what the worker
/// (Tests/RosterServerTests/Webhooks) relies on, step by step, without sockets.
extension StoreCase {
    /// A pending delivery as first queued.
    func queued(_ endpoint: WebhookEndpoint, _ event: OutboxEvent, at: Int64) -> WebhookDelivery {
        WebhookDelivery(
            endpointID: endpoint.id,
            sequence: event.sequence,
            eventID: event.id,
            eventType: event.type,
            state: .pending,
            attempts: 0,
            firstAttemptAt: nil,
            nextAttemptAt: at,
            lastStatus: nil,
            lastResponse: nil,
            deliveredAt: nil
        )
    }

    /// Records an attempt as the worker does: under the endpoint's lease, held by "test".
    func recordAttempt(endpointID: String, sequence: Int64, at: Int64, outcome: WebhookAttemptOutcome) async throws {
        #expect(try await store.claimWebhookLease(endpointID: endpointID, owner: "test", duration: 60_000))
        #expect(try await store.recordWebhookAttempt(endpointID: endpointID, sequence: sequence, at: at, outcome: outcome, owner: "test"))
    }

    /// One owner at a time: a held lease is renewed by its owner and refused to another until it lapses or is given
    /// up; an attempt is recorded only under a held lease; a disabled or deleted endpoint has no lease.
    func webhookLeaseHasOneOwnerAtATime() async throws {
        let endpoint = try await store.createWebhookEndpoint(url: "https://a.example", eventTypes: [], secret: "s")
        try await createUser("a@x.com")
        #expect(try await store.enqueueWebhookDeliveries(endpointID: endpoint.id, limit: 10, at: 0) == 1)
        let pending = try #require(try await store.nextWebhookDelivery(endpointID: endpoint.id))
        let outcome = WebhookAttemptOutcome.failed(status: 500, response: "x", nextAttemptAt: 5)
        func record(_ owner: String) async throws -> Bool {
            try await store.recordWebhookAttempt(endpointID: endpoint.id, sequence: pending.delivery.sequence, at: 1, outcome: outcome, owner: owner)
        }
        #expect(try await record("a") == false, "no lease: nothing recorded")
        #expect(try await store.webhookDeliveries(endpointID: endpoint.id, limit: 1).first?.attempts == 0)

        #expect(try await store.claimableWebhookEndpoints(owner: "a") == [endpoint.id], "free")
        #expect(try await store.webhookLeaseHolder(endpointID: endpoint.id) == nil, "nobody took it yet")
        #expect(try await store.claimWebhookLease(endpointID: endpoint.id, owner: "a", duration: 60_000))
        let holder = try #require(try await store.webhookLeaseHolder(endpointID: endpoint.id))
        #expect(holder.owner == "a" && holder.isLive)
        #expect(try await store.claimableWebhookEndpoints(owner: "a") == [endpoint.id], "its own")
        #expect(try await store.claimableWebhookEndpoints(owner: "b").isEmpty, "held by a")
        #expect(try await store.claimWebhookLease(endpointID: endpoint.id, owner: "b", duration: 60_000) == false, "held by a")
        #expect(try await store.claimWebhookLease(endpointID: endpoint.id, owner: "a", duration: 60_000), "renewed by its owner")
        #expect(try await record("b") == false)
        #expect(try await record("a"))
        #expect(try await store.webhookDeliveries(endpointID: endpoint.id, limit: 1).first?.attempts == 1)

        try await store.releaseWebhookLease(endpointID: endpoint.id, owner: "b")
        #expect(try await store.claimWebhookLease(endpointID: endpoint.id, owner: "b", duration: 60_000) == false, "b cannot give up a's lease")
        try await store.releaseWebhookLease(endpointID: endpoint.id, owner: "a")
        #expect(try await store.claimWebhookLease(endpointID: endpoint.id, owner: "b", duration: 1), "given up: taken at once")
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await record("b") == false, "lapsed: nothing recorded")
        #expect(try await store.webhookLeaseHolder(endpointID: endpoint.id)?.isLive == false, "lapsed")
        #expect(try await store.claimableWebhookEndpoints(owner: "a") == [endpoint.id], "lapsed")
        #expect(try await store.claimWebhookLease(endpointID: endpoint.id, owner: "a", duration: 60_000), "lapsed: taken over")
        #expect(try await record("b") == false, "taken over: the old owner records nothing")

        _ = try await store.updateWebhookEndpoint(id: endpoint.id, url: endpoint.url, eventTypes: [], enabled: false)
        #expect(try await store.claimWebhookLease(endpointID: endpoint.id, owner: "a", duration: 60_000) == false, "disabled")
        #expect(try await store.claimableWebhookEndpoints(owner: "a").isEmpty, "disabled")
        _ = try await store.updateWebhookEndpoint(id: endpoint.id, url: endpoint.url, eventTypes: [], enabled: true)
        #expect(try await store.deleteWebhookEndpoint(id: endpoint.id))
        #expect(try await store.claimWebhookLease(endpointID: endpoint.id, owner: "a", duration: 60_000) == false, "deleted")
    }

    /// Eight workers claim one free lease at once: exactly one gets it.
    func concurrentClaimsOfOneLeaseGiveOneOwner() async throws {
        for round in 0..<5 {
            let endpoint = try await store.createWebhookEndpoint(url: "https://a.example/\(round)", eventTypes: [], secret: "s")
            let owners = try await withThrowingTaskGroup(of: String?.self) { tasks in
                for worker in 0..<8 {
                    tasks.addTask {
                        try await store.claimWebhookLease(endpointID: endpoint.id, owner: "w\(worker)", duration: 60_000) ? "w\(worker)" : nil
                    }
                }
                var owners: [String] = []
                for try await owner in tasks { if let owner { owners.append(owner) } }
                return owners
            }
            #expect(owners.count == 1, "round \(round): \(owners)")
        }
    }

    /// Endpoints list oldest first; an update changes URL, types and enabled; a rotation keeps the old secret as the previous one; a delete takes the deliveries.
    func webhookEndpointsAreCreatedUpdatedRotatedAndDeleted(clock: TestClock) async throws {
        let first = try await store.createWebhookEndpoint(url: "https://a.example/hook", eventTypes: [], secret: "whsec_1")
        #expect(
            first
                == WebhookEndpoint(
                    id: first.id,
                    url: "https://a.example/hook",
                    eventTypes: [],
                    enabled: true,
                    secret: "whsec_1",
                    createdAt: clock.now
                )
        )
        clock.advance(by: 1_000)
        let second = try await store.createWebhookEndpoint(
            url: "https://b.example/hook",
            eventTypes: ["user.created", "user.deleted"],
            secret: "whsec_2"
        )
        #expect(second.eventTypes == ["user.created", "user.deleted"])
        #expect(try await store.webhookEndpoints() == [first, second])
        #expect(try await store.webhookEndpoint(id: second.id) == second)
        #expect(try await store.webhookEndpoint(id: "nope") == nil)

        let updated = try await store.updateWebhookEndpoint(
            id: first.id,
            url: "https://c.example/hook",
            eventTypes: ["group.created"],
            enabled: false
        )
        var expected = first
        expected.url = "https://c.example/hook"
        expected.eventTypes = ["group.created"]
        expected.enabled = false
        #expect(updated == expected)
        #expect(try await store.webhookEndpoint(id: first.id) == expected)
        #expect(try await store.updateWebhookEndpoint(id: "nope", url: "https://x", eventTypes: [], enabled: true) == nil)
        let reenabled = try await store.updateWebhookEndpoint(id: first.id, url: "https://c.example/hook", eventTypes: [], enabled: true)
        #expect(reenabled?.enabled == true && reenabled?.eventTypes == [])

        let rotated = try await store.rotateWebhookSecret(id: second.id, newSecret: "whsec_3", previousValidUntil: 99_000)
        #expect(rotated?.secret == "whsec_3" && rotated?.previousSecret == "whsec_2" && rotated?.previousSecretExpiresAt == 99_000)
        let again = try await store.rotateWebhookSecret(id: second.id, newSecret: "whsec_4", previousValidUntil: 100_000)
        #expect(again?.secret == "whsec_4" && again?.previousSecret == "whsec_3" && again?.previousSecretExpiresAt == 100_000)
        #expect(again?.url == second.url && again?.eventTypes == second.eventTypes && again?.createdAt == second.createdAt)
        #expect(try await store.rotateWebhookSecret(id: "nope", newSecret: "x", previousValidUntil: 1) == nil)

        _ = try await createUser("a@x.com")
        #expect(try await store.enqueueWebhookDeliveries(endpointID: first.id, limit: 10, at: 0) == 1)
        #expect(try await store.webhookDeliveries(endpointID: first.id, limit: 10).count == 1)
        #expect(try await store.deleteWebhookEndpoint(id: first.id))
        #expect(try await store.deleteWebhookEndpoint(id: first.id) == false)
        #expect(try await store.webhookEndpoints().map(\.id) == [second.id])
        #expect(try await store.webhookDeliveries(endpointID: first.id, limit: 10).isEmpty, "its deliveries went with it")
        #expect(try await store.webhookBacklog() == [second.id: 1])
    }

    /// An endpoint queues only events after its creation, of its types, at most `limit` a call; the backlog counts pending rows and unseen events.
    func webhookDeliveriesAreQueuedByTypeFromTheCursor() async throws {
        _ = try await createUser("early@x.com")
        let all = try await store.createWebhookEndpoint(url: "https://a.example", eventTypes: [], secret: "s")
        let deletions = try await store.createWebhookEndpoint(url: "https://b.example", eventTypes: ["user.deleted"], secret: "s")
        #expect(try await store.enqueueWebhookDeliveries(endpointID: all.id, limit: 10, at: 0) == 0, "only events from now on")
        #expect(try await store.webhookBacklog() == [all.id: 0, deletions.id: 0])
        #expect(try await store.nextWebhookDelivery(endpointID: all.id) == nil)

        let mark = try await lastSequence()
        let a = try await createUser("a@x.com")
        _ = try await createUser("b@x.com")
        try await store.delete(.user, directoryID: directory.id, id: a.id, precondition: nil)
        let events = try await store.events(after: mark, limit: 10)
        #expect(events.map(\.type) == ["user.created", "user.created", "user.deleted"])
        #expect(try await store.webhookBacklog() == [all.id: 3, deletions.id: 3])

        #expect(try await store.enqueueWebhookDeliveries(endpointID: all.id, limit: 2, at: 100) == 2)
        #expect(
            try await store.webhookDeliveries(endpointID: all.id, limit: 10) == [queued(all, events[1], at: 100), queued(all, events[0], at: 100)]
        )
        #expect(try await store.webhookBacklog() == [all.id: 3, deletions.id: 3], "two pending and one not yet looked at")
        #expect(try await store.enqueueWebhookDeliveries(endpointID: all.id, limit: 10, at: 200) == 1)
        #expect(try await store.enqueueWebhookDeliveries(endpointID: all.id, limit: 10, at: 300) == 0)
        #expect(
            try await store.webhookDeliveries(endpointID: all.id, limit: 10) == [
                queued(all, events[2], at: 200), queued(all, events[1], at: 100), queued(all, events[0], at: 100),
            ]
        )
        #expect(try await store.webhookDeliveries(endpointID: all.id, limit: 1) == [queued(all, events[2], at: 200)])

        #expect(try await store.enqueueWebhookDeliveries(endpointID: deletions.id, limit: 10, at: 400) == 3, "three looked at")
        #expect(try await store.webhookDeliveries(endpointID: deletions.id, limit: 10) == [queued(deletions, events[2], at: 400)])
        #expect(try await store.webhookBacklog() == [all.id: 3, deletions.id: 1])

        let next = try #require(try await store.nextWebhookDelivery(endpointID: all.id))
        #expect(next.delivery == queued(all, events[0], at: 100))
        #expect(next.event == events[0])
        #expect(try await store.nextWebhookDelivery(endpointID: "nope") == nil)
        #expect(try await store.enqueueWebhookDeliveries(endpointID: "nope", limit: 10, at: 0) == 0)
    }

    /// Attempts are recorded as the worker sends them under a ``RetryPolicy``: retries keep the first attempt’s time, a 2xx delivers, a failure past the window dead-letters.
    func webhookAttemptsFollowTheRetryPolicy() async throws {
        let endpoint = try await store.createWebhookEndpoint(url: "https://a.example", eventTypes: [], secret: "s")
        let mark = try await lastSequence()
        _ = try await createUser("a@x.com")
        _ = try await createUser("b@x.com")
        let events = try await store.events(after: mark, limit: 10)
        #expect(try await store.enqueueWebhookDeliveries(endpointID: endpoint.id, limit: 10, at: 0) == 2)
        let policy = RetryPolicy(initialDelay: 1_000, maximumDelay: 4_000, window: 10_000, jitter: 0)

        // The first event: two failures, then a 2xx.
        let first = events[0].sequence
        let retry = policy.nextAttempt(afterFailure: 1, firstAttemptAt: 1_000, now: 1_000, random: 0)
        #expect(retry == 2_000)
        try await recordAttempt(
            endpointID: endpoint.id,
            sequence: first,
            at: 1_000,
            outcome: .failed(status: 500, response: "oops", nextAttemptAt: retry)
        )
        var expected = queued(endpoint, events[0], at: 2_000)
        expected.attempts = 1
        expected.firstAttemptAt = 1_000
        expected.lastStatus = 500
        expected.lastResponse = "oops"
        #expect(try await store.nextWebhookDelivery(endpointID: endpoint.id)?.delivery == expected)
        try await recordAttempt(
            endpointID: endpoint.id,
            sequence: first,
            at: 2_000,
            outcome: .failed(status: nil, response: "connection refused", nextAttemptAt: 4_000)
        )
        expected.attempts = 2
        expected.nextAttemptAt = 4_000
        expected.lastStatus = nil
        expected.lastResponse = "connection refused"
        #expect(try await store.nextWebhookDelivery(endpointID: endpoint.id)?.delivery == expected, "the first attempt's time stays")
        try await recordAttempt(endpointID: endpoint.id, sequence: first, at: 4_000, outcome: .delivered(status: 204, response: ""))
        expected.state = .delivered
        expected.attempts = 3
        expected.nextAttemptAt = nil
        expected.lastStatus = 204
        expected.lastResponse = ""
        expected.deliveredAt = 4_000
        #expect(try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10).last == expected)

        // The second event: failures until the policy gives up.
        #expect(try await store.nextWebhookDelivery(endpointID: endpoint.id)?.delivery.sequence == events[1].sequence)
        var now: Int64 = 1_000
        var failures = 0
        var schedule: [Int64?] = []
        while true {
            failures += 1
            let next = policy.nextAttempt(afterFailure: failures, firstAttemptAt: 1_000, now: now, random: 0)
            schedule.append(next)
            try await recordAttempt(
                endpointID: endpoint.id,
                sequence: events[1].sequence,
                at: now,
                outcome: .failed(status: 503, response: "busy", nextAttemptAt: next)
            )
            guard let next else { break }
            now = next
        }
        #expect(schedule == [2_000, 4_000, 8_000, nil])
        var dead = queued(endpoint, events[1], at: 0)
        dead.state = .dead
        dead.attempts = 4
        dead.firstAttemptAt = 1_000
        dead.nextAttemptAt = nil
        dead.lastStatus = 503
        dead.lastResponse = "busy"
        #expect(try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10) == [dead, expected])
        #expect(try await store.nextWebhookDelivery(endpointID: endpoint.id) == nil, "nothing pending")
        #expect(try await store.webhookBacklog() == [endpoint.id: 0])
    }

    /// Redelivery makes a dead or delivered delivery pending again with a fresh window, or queues any past event; unknown endpoints and events are refused.
    func redeliveryQueuesAnEventAgain() async throws {
        let endpoint = try await store.createWebhookEndpoint(url: "https://a.example", eventTypes: ["user.deleted"], secret: "s")
        let mark = try await lastSequence()
        let user = try await createUser("a@x.com")
        try await store.delete(.user, directoryID: directory.id, id: user.id, precondition: nil)
        let events = try await store.events(after: mark, limit: 10)
        let (created, deleted) = (events[0], events[1])
        #expect(try await store.enqueueWebhookDeliveries(endpointID: endpoint.id, limit: 10, at: 0) == 2)
        try await recordAttempt(
            endpointID: endpoint.id,
            sequence: deleted.sequence,
            at: 500,
            outcome: .failed(status: 410, response: "gone", nextAttemptAt: nil)
        )
        #expect(try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10).map(\.state) == [.dead])

        #expect(try await store.redeliverWebhook(endpointID: endpoint.id, sequence: deleted.sequence, at: 900))
        var again = queued(endpoint, deleted, at: 900)
        again.lastStatus = 410
        again.lastResponse = "gone"
        #expect(try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10) == [again], "a fresh window; the last answer is kept")
        #expect(try await store.redeliverWebhook(endpointID: endpoint.id, sequence: created.sequence, at: 950), "any past event")
        #expect(try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10) == [again, queued(endpoint, created, at: 950)])
        #expect(try await store.nextWebhookDelivery(endpointID: endpoint.id)?.event == created)
        #expect(try await store.webhookBacklog() == [endpoint.id: 2])

        try await recordAttempt(
            endpointID: endpoint.id,
            sequence: created.sequence,
            at: 1_000,
            outcome: .delivered(status: 200, response: "ok")
        )
        #expect(try await store.redeliverWebhook(endpointID: endpoint.id, sequence: created.sequence, at: 1_100))
        var redelivered = queued(endpoint, created, at: 1_100)
        redelivered.lastStatus = 200
        redelivered.lastResponse = "ok"
        #expect(try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10).last == redelivered, "delivered is pending again")

        #expect(try await store.redeliverWebhook(endpointID: endpoint.id, sequence: 999_999, at: 0) == false)
        #expect(try await store.redeliverWebhook(endpointID: "nope", sequence: created.sequence, at: 0) == false)
    }
}

/// The store suite's webhook cases on each store.
@Suite("Store suite: webhooks")
struct WebhookStoreTests {
    @Test(arguments: StoreKind.available) func webhookEndpointsAreCreatedUpdatedRotatedAndDeleted(_ kind: StoreKind) async throws {
        let clock = TestClock()
        try await kind.withStore(now: { clock.now }) {
            try await StoreCase(store: $0).webhookEndpointsAreCreatedUpdatedRotatedAndDeleted(clock: clock)
        }
    }

    @Test(arguments: StoreKind.available) func webhookDeliveriesAreQueuedByTypeFromTheCursor(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).webhookDeliveriesAreQueuedByTypeFromTheCursor() }
    }

    @Test(arguments: StoreKind.available) func webhookAttemptsFollowTheRetryPolicy(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).webhookAttemptsFollowTheRetryPolicy() }
    }

    @Test(arguments: StoreKind.available) func redeliveryQueuesAnEventAgain(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).redeliveryQueuesAnEventAgain() }
    }

    @Test(arguments: StoreKind.available) func webhookLeaseHasOneOwnerAtATime(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).webhookLeaseHasOneOwnerAtATime() }
    }

    @Test(arguments: StoreKind.available) func concurrentClaimsOfOneLeaseGiveOneOwner(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).concurrentClaimsOfOneLeaseGiveOneOwner() }
    }
}
