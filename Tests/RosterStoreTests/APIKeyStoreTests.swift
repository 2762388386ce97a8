import RosterCore
import RosterTestSupport
import Testing

/// Read-API keys (``APIKeyStore``) through the protocol, on every store whose clock is `clock`.
extension StoreCase {
    /// Keys list newest first with every field as stored; a key revokes once and stays listed with its revocation time.
    func apiKeysAreListedNewestFirstAndRevokedOnce(clock: TestClock) async throws {
        let start = clock.now
        let first = try await store.createAPIKey(name: "CI", prefix: "rst_aaaa", tokenHash: BearerToken.hash("k1"))
        clock.advance(by: 1_000)
        let second = try await store.createAPIKey(name: "Billing", prefix: "rst_bbbb", tokenHash: BearerToken.hash("k2"))
        clock.advance(by: 1_000)
        let third = try await store.createAPIKey(name: "Reports", prefix: "rst_cccc", tokenHash: BearerToken.hash("k3"))
        #expect(first == APIKey(id: first.id, name: "CI", prefix: "rst_aaaa", createdAt: start, lastUsedAt: nil, revokedAt: nil))
        #expect(try await store.apiKeys() == [third, second, first])

        clock.advance(by: 1_000)
        #expect(try await store.revokeAPIKey(id: second.id))
        #expect(try await store.revokeAPIKey(id: second.id) == false, "already revoked")
        #expect(try await store.revokeAPIKey(id: "no-such-key") == false)
        var revoked = second
        revoked.revokedAt = start + 3_000
        #expect(try await store.apiKeys() == [third, revoked, first], "a revoked key stays listed")
    }

    /// A lookup finds a live key by hash and marks its use at most once a minute; a revoked key is neither found nor marked.
    func apiKeyLookupMarksUseAndIgnoresRevokedKeys(clock: TestClock) async throws {
        let key = try await store.createAPIKey(name: "CI", prefix: "rst_aaaa", tokenHash: BearerToken.hash("k1"))
        let at = clock.now + 5_000
        #expect(try await store.apiKeyID(tokenHash: BearerToken.hash("unknown"), at: at) == nil)
        #expect(try await store.apiKeyID(tokenHash: BearerToken.hash("k1"), at: at) == key.id)
        #expect(try await store.apiKeys().first?.lastUsedAt == at)
        #expect(try await store.apiKeyID(tokenHash: BearerToken.hash("k1"), at: at + 60_000) == key.id)
        #expect(try await store.apiKeys().first?.lastUsedAt == at, "marked at most once a minute")
        #expect(try await store.apiKeyID(tokenHash: BearerToken.hash("k1"), at: at + 60_001) == key.id)
        #expect(try await store.apiKeys().first?.lastUsedAt == at + 60_001)

        #expect(try await store.revokeAPIKey(id: key.id))
        #expect(try await store.apiKeyID(tokenHash: BearerToken.hash("k1"), at: at + 200_000) == nil, "a revoked key is not found")
        #expect(try await store.apiKeys().first?.lastUsedAt == at + 60_001, "nor marked")
    }
}

/// The store suite's API-key cases on each store, with a settable clock.
@Suite("Store suite: API keys")
struct APIKeyStoreTests {
    @Test(arguments: StoreKind.available) func apiKeysAreListedNewestFirstAndRevokedOnce(_ kind: StoreKind) async throws {
        let clock = TestClock()
        try await kind.withStore(now: { clock.now }) { try await StoreCase(store: $0).apiKeysAreListedNewestFirstAndRevokedOnce(clock: clock) }
    }

    @Test(arguments: StoreKind.available) func apiKeyLookupMarksUseAndIgnoresRevokedKeys(_ kind: StoreKind) async throws {
        let clock = TestClock()
        try await kind.withStore(now: { clock.now }) { try await StoreCase(store: $0).apiKeyLookupMarksUseAndIgnoresRevokedKeys(clock: clock) }
    }
}
