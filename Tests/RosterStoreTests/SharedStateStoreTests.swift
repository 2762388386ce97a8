import RosterCore
import RosterTestSupport
import Testing

/// What replicas share through the store (``BrowserStateStore``, ``RequestLogStore``), on every store.
extension StoreCase {
    /// A flash value is taken once, only by its session and key, and not after it expires; leaving again replaces it.
    func flashValueIsTakenOnceBeforeItExpires() async throws {
        let session = BearerToken.hash("session")
        try await store.leaveFlash(sessionHash: session, key: "message", sealed: [1, 2, 3], at: 1_000, expiresAt: 2_000)
        try await store.leaveFlash(sessionHash: session, key: "message", sealed: [4, 5], at: 1_000, expiresAt: 2_000)
        #expect(try await store.takeFlash(sessionHash: BearerToken.hash("other"), key: "message", at: 1_500) == nil, "another session")
        #expect(try await store.takeFlash(sessionHash: session, key: "secret:x", at: 1_500) == nil, "another key")
        #expect(try await store.takeFlash(sessionHash: session, key: "message", at: 1_500) == [4, 5], "the latest value")
        #expect(try await store.takeFlash(sessionHash: session, key: "message", at: 1_501) == nil, "taken already")

        try await store.leaveFlash(sessionHash: session, key: "secret:x", sealed: [9], at: 1_000, expiresAt: 2_000)
        #expect(try await store.takeFlash(sessionHash: session, key: "secret:x", at: 2_000) == nil, "expired at its expiry instant")
        try await store.leaveFlash(sessionHash: session, key: "secret:y", sealed: [8], at: 1_000, expiresAt: 2_000)
        try await store.leaveFlash(sessionHash: session, key: "secret:z", sealed: [7], at: 2_500, expiresAt: 3_000)
        #expect(try await store.takeFlash(sessionHash: session, key: "secret:y", at: 1_000) == nil, "dropped by a later leave")
        #expect(try await store.takeFlash(sessionHash: session, key: "secret:z", at: 2_600) == [7])
    }

    /// Eight takes of one flash value at once: exactly one gets it.
    func concurrentTakesOfOneFlashGiveOneValue() async throws {
        for round in 0..<5 {
            let session = BearerToken.hash("session-\(round)")
            try await store.leaveFlash(sessionHash: session, key: "secret:t", sealed: [UInt8(round)], at: 0, expiresAt: 10_000)
            let values = try await withThrowingTaskGroup(of: [UInt8]?.self) { tasks in
                for _ in 0..<8 { tasks.addTask { try await store.takeFlash(sessionHash: session, key: "secret:t", at: 1) } }
                var values: [[UInt8]] = []
                for try await value in tasks { if let value { values.append(value) } }
                return values
            }
            #expect(values == [[UInt8(round)]], "round \(round)")
        }
    }

    /// A pending sign-in is taken once; expired ones are dropped when another starts; when full, the oldest goes.
    func pendingSignInIsTakenOnceAndBounded() async throws {
        func signIn(_ name: String, at: Int64) -> PendingSignIn {
            PendingSignIn(state: "state-\(name)", nonce: "nonce-\(name)", verifier: "verifier-\(name)", startedAt: at)
        }
        try await store.savePendingSignIn(cookieHash: BearerToken.hash("a"), signIn("a", at: 1_000), expiredBefore: 0, capacity: 3)
        #expect(try await store.takePendingSignIn(cookieHash: BearerToken.hash("x")) == nil)
        #expect(try await store.takePendingSignIn(cookieHash: BearerToken.hash("a")) == signIn("a", at: 1_000))
        #expect(try await store.takePendingSignIn(cookieHash: BearerToken.hash("a")) == nil, "finished once")

        try await store.savePendingSignIn(cookieHash: BearerToken.hash("old"), signIn("old", at: 100), expiredBefore: 0, capacity: 3)
        try await store.savePendingSignIn(cookieHash: BearerToken.hash("b"), signIn("b", at: 2_000), expiredBefore: 500, capacity: 3)
        #expect(try await store.takePendingSignIn(cookieHash: BearerToken.hash("old")) == nil, "expired, dropped")

        for (index, name) in ["c", "d", "e"].enumerated() {
            try await store.savePendingSignIn(
                cookieHash: BearerToken.hash(name),
                signIn(name, at: 3_000 + Int64(index)),
                expiredBefore: 500,
                capacity: 3
            )
        }
        #expect(try await store.takePendingSignIn(cookieHash: BearerToken.hash("b")) == nil, "the oldest made room")
        for name in ["c", "d", "e"] {
            #expect(try await store.takePendingSignIn(cookieHash: BearerToken.hash(name))?.state == "state-\(name)")
        }
    }

    /// Batches from several writers land in one log; a directory reads its own newest first; only the newest rows
    /// of all directories are kept; a detail and its absence round-trip.
    func requestLogKeepsTheNewestOfEveryWriter() async throws {
        func entry(_ directoryID: String, _ index: Int, detail: String? = nil) -> RequestLogEntry {
            RequestLogEntry(
                at: Int64(index),
                directoryID: directoryID,
                method: "GET",
                path: "/Users?n=\(index)",
                status: detail == nil ? 200 : 400,
                durationMilliseconds: Double(index) / 4,
                detail: detail
            )
        }
        #expect(try await store.requestLog(directoryID: "d1", limit: 10).isEmpty)
        try await store.appendRequestLog([entry("d1", 1), entry("d2", 2, detail: "Bad filter")], keepNewest: 5)
        try await store.appendRequestLog([entry("d1", 3), entry("d1", 4)], keepNewest: 5)
        #expect(try await store.requestLog(directoryID: "d1", limit: 10) == [entry("d1", 4), entry("d1", 3), entry("d1", 1)])
        #expect(try await store.requestLog(directoryID: "d2", limit: 10) == [entry("d2", 2, detail: "Bad filter")])
        #expect(try await store.requestLog(directoryID: "d1", limit: 2) == [entry("d1", 4), entry("d1", 3)])

        try await store.appendRequestLog((5...7).map { entry("d1", $0) }, keepNewest: 5)
        #expect(try await store.requestLog(directoryID: "d1", limit: 10).map(\.at) == [7, 6, 5, 4, 3], "the two oldest rows went")
        #expect(try await store.requestLog(directoryID: "d2", limit: 10).isEmpty)
        try await store.appendRequestLog([], keepNewest: 5)
        #expect(try await store.requestLog(directoryID: "d1", limit: 10).count == 5)
    }
}

extension StoreCase {
    /// A SAML request is taken once by its RelayState; expired ones go when another starts; when full, the oldest.
    func samlRequestIsTakenOnceAndBounded() async throws {
        func save(_ name: String, at: Int64, expiredBefore: Int64 = 0) async throws {
            try await store.saveSAMLRequest(
                relayStateHash: BearerToken.hash(name),
                PendingSAMLRequest(requestID: "_\(name)", startedAt: at),
                expiredBefore: expiredBefore,
                capacity: 2
            )
        }
        try await save("a", at: 1_000)
        #expect(try await store.takeSAMLRequest(relayStateHash: BearerToken.hash("x")) == nil)
        #expect(try await store.takeSAMLRequest(relayStateHash: BearerToken.hash("a")) == PendingSAMLRequest(requestID: "_a", startedAt: 1_000))
        #expect(try await store.takeSAMLRequest(relayStateHash: BearerToken.hash("a")) == nil, "answered once")
        try await save("old", at: 100)
        try await save("b", at: 2_000, expiredBefore: 500)
        #expect(try await store.takeSAMLRequest(relayStateHash: BearerToken.hash("old")) == nil, "expired, dropped")
        try await save("c", at: 3_000, expiredBefore: 500)
        try await save("d", at: 3_001, expiredBefore: 500)
        #expect(try await store.takeSAMLRequest(relayStateHash: BearerToken.hash("b")) == nil, "the oldest made room")
        #expect(try await store.takeSAMLRequest(relayStateHash: BearerToken.hash("d"))?.requestID == "_d")
    }

    /// An assertion is accepted once while remembered, by exactly one of eight concurrent uses; once forgotten
    /// (past its time) it could be recorded again.
    func samlAssertionIsRememberedAgainstReplay() async throws {
        let firsts = try await withThrowingTaskGroup(of: Bool.self) { tasks in
            for _ in 0..<8 { tasks.addTask { try await store.rememberSAMLAssertion(id: "_assertion", until: 5_000, at: 1_000) } }
            var firsts = 0
            for try await first in tasks where first { firsts += 1 }
            return firsts
        }
        #expect(firsts == 1)
        #expect(try await store.rememberSAMLAssertion(id: "_assertion", until: 9_000, at: 4_999) == false, "a replay while remembered")
        #expect(try await store.rememberSAMLAssertion(id: "_other", until: 9_000, at: 5_001), "another assertion")
        #expect(try await store.rememberSAMLAssertion(id: "_assertion", until: 9_000, at: 5_002), "forgotten after its time")
    }
}

/// The store suite's shared-state cases on each store.
@Suite("Store suite: state shared by replicas")
struct SharedStateStoreTests {
    @Test(arguments: StoreKind.available) func flashValueIsTakenOnceBeforeItExpires(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).flashValueIsTakenOnceBeforeItExpires() }
    }

    @Test(arguments: StoreKind.available) func concurrentTakesOfOneFlashGiveOneValue(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).concurrentTakesOfOneFlashGiveOneValue() }
    }

    @Test(arguments: StoreKind.available) func pendingSignInIsTakenOnceAndBounded(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).pendingSignInIsTakenOnceAndBounded() }
    }

    @Test(arguments: StoreKind.available) func samlRequestIsTakenOnceAndBounded(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).samlRequestIsTakenOnceAndBounded() }
    }

    @Test(arguments: StoreKind.available) func samlAssertionIsRememberedAgainstReplay(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).samlAssertionIsRememberedAgainstReplay() }
    }

    @Test(arguments: StoreKind.available) func requestLogKeepsTheNewestOfEveryWriter(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).requestLogKeepsTheNewestOfEveryWriter() }
    }
}
