import RosterCore
import RosterSQLite
import RosterTestSupport
import Testing

/// Admin sign-in links and sessions (``AdminSessionStore``) through the protocol, on every store.
extension StoreCase {
    /// A session for `email` started at `at`, ending a week later.
    func adminSession(_ email: String, at: Int64, token: String) -> AdminSession {
        AdminSession(
            tokenHash: BearerToken.hash(token),
            email: email,
            method: .loginLink,
            csrfToken: "csrf-\(token)",
            createdAt: at,
            lastSeenAt: at,
            expiresAt: at + AdminAccess<SQLiteStore>.sessionLifetime
        )
    }

    /// A link gives its email once, up to the millisecond before it expires.
    func loginLinkIsRedeemedOnceBeforeItExpires() async throws {
        let hash = BearerToken.hash("link")
        try await store.createLoginLink(tokenHash: hash, email: "admin@example.com", createdAt: 1_000, expiresAt: 2_000)
        #expect(try await store.redeemLoginLink(tokenHash: BearerToken.hash("other"), at: 1_500) == nil, "unknown link")
        #expect(try await store.redeemLoginLink(tokenHash: hash, at: 1_500) == "admin@example.com")
        #expect(try await store.redeemLoginLink(tokenHash: hash, at: 1_501) == nil, "used already")

        let late = BearerToken.hash("late")
        try await store.createLoginLink(tokenHash: late, email: "late@example.com", createdAt: 1_000, expiresAt: 2_000)
        #expect(try await store.redeemLoginLink(tokenHash: late, at: 2_000) == nil, "expired at its expiry instant")
        let edge = BearerToken.hash("edge")
        try await store.createLoginLink(tokenHash: edge, email: "edge@example.com", createdAt: 1_000, expiresAt: 2_000)
        #expect(try await store.redeemLoginLink(tokenHash: edge, at: 1_999) == "edge@example.com", "a millisecond before")
    }

    /// Eight redemptions of one link at once: exactly one gets the email, in each of five rounds.
    func concurrentRedemptionsOfOneLinkGiveOneEmail() async throws {
        for round in 0..<5 {
            let hash = BearerToken.hash("link-\(round)")
            try await store.createLoginLink(tokenHash: hash, email: "admin\(round)@example.com", createdAt: 1_000, expiresAt: 100_000)
            let emails = try await withThrowingTaskGroup(of: String?.self) { tasks in
                for _ in 0..<8 { tasks.addTask { try await store.redeemLoginLink(tokenHash: hash, at: 2_000) } }
                var emails: [String] = []
                for try await email in tasks { if let email { emails.append(email) } }
                return emails
            }
            #expect(emails == ["admin\(round)@example.com"], "round \(round)")
        }
    }

    /// A session lives while used within the idle timeout and before its expiry, records use more than a minute apart, and is deleted once found ended.
    func sessionEndsWhenIdleOrExpiredAndRecordsItsUse() async throws {
        let idle = AdminAccess<SQLiteStore>.idleTimeout
        let start: Int64 = 10_000_000
        let session = adminSession("Admin@Example.com", at: start, token: "s1")
        try await store.createSession(session)
        #expect(try await store.session(tokenHash: BearerToken.hash("nope"), at: start, idleTimeout: idle) == nil)
        #expect(try await store.session(tokenHash: session.tokenHash, at: start + 60_000, idleTimeout: idle) == session, "not marked within a minute")
        let used = try await store.session(tokenHash: session.tokenHash, at: start + 60_001, idleTimeout: idle)
        #expect(used?.lastSeenAt == start + 60_001)
        #expect(used?.email == "Admin@Example.com")
        #expect(used?.csrfToken == "csrf-s1")
        #expect(used?.method == .loginLink)
        #expect(used?.expiresAt == start + AdminAccess<SQLiteStore>.sessionLifetime)
        let reread = try await store.session(tokenHash: session.tokenHash, at: start + 60_002, idleTimeout: idle)
        #expect(reread?.lastSeenAt == start + 60_001, "the stored last use")
        #expect(try await store.session(tokenHash: session.tokenHash, at: start + 60_001 + idle, idleTimeout: idle) != nil, "idle exactly the limit")
        // Used at start + 60_001 + idle (more than a minute after the last mark), so it was marked then.
        let marked = start + 60_001 + idle
        #expect(try await store.session(tokenHash: session.tokenHash, at: marked + idle + 1, idleTimeout: idle) == nil, "idle too long")
        #expect(try await store.session(tokenHash: session.tokenHash, at: marked, idleTimeout: idle) == nil, "an ended session is deleted")

        let busy = adminSession("busy@example.com", at: start, token: "s2")
        try await store.createSession(busy)
        #expect(try await store.session(tokenHash: busy.tokenHash, at: busy.expiresAt - 1, idleTimeout: .max / 2) != nil)
        #expect(try await store.session(tokenHash: busy.tokenHash, at: busy.expiresAt, idleTimeout: .max / 2) == nil, "past its lifetime")
        #expect(try await store.session(tokenHash: busy.tokenHash, at: start, idleTimeout: .max / 2) == nil, "deleted when found ended")
    }

    /// Signing out deletes the session (twice is harmless); starting a session deletes those already expired.
    func signOutAndNewSessionsDropEndedOnes() async throws {
        let idle = AdminAccess<SQLiteStore>.idleTimeout
        let first = adminSession("a@example.com", at: 1_000, token: "first")
        try await store.createSession(first)
        try await store.deleteSession(tokenHash: first.tokenHash)
        #expect(try await store.session(tokenHash: first.tokenHash, at: 1_000, idleTimeout: idle) == nil)
        try await store.deleteSession(tokenHash: first.tokenHash)

        var short = adminSession("b@example.com", at: 1_000, token: "short")
        short.expiresAt = 5_000
        try await store.createSession(short)
        #expect(try await store.session(tokenHash: short.tokenHash, at: 2_000, idleTimeout: idle) != nil)
        // Starting a session after `short` ended deletes it, so even a clock set back does not find it.
        try await store.createSession(adminSession("c@example.com", at: 6_000, token: "later"))
        #expect(try await store.session(tokenHash: short.tokenHash, at: 2_000, idleTimeout: idle) == nil)
        #expect(try await store.session(tokenHash: BearerToken.hash("later"), at: 6_000, idleTimeout: idle)?.email == "c@example.com")
    }

    /// Only starting a session counts as a sign-in, and it stays counted after sign-out.
    func firstSignInIsRecordedBySessionsOnly() async throws {
        #expect(try await store.hasAnyAdminSignedIn() == false)
        try await store.createLoginLink(tokenHash: BearerToken.hash("l"), email: "a@example.com", createdAt: 1, expiresAt: 1_000)
        _ = try await store.redeemLoginLink(tokenHash: BearerToken.hash("l"), at: 2)
        #expect(try await store.hasAnyAdminSignedIn() == false, "a link is not a sign-in")
        let session = adminSession("a@example.com", at: 3, token: "s")
        try await store.createSession(session)
        try await store.deleteSession(tokenHash: session.tokenHash)
        #expect(try await store.hasAnyAdminSignedIn(), "recorded, even after sign-out")
        try await store.createSession(adminSession("A@EXAMPLE.COM", at: 4, token: "t"))
        #expect(try await store.hasAnyAdminSignedIn())
    }
}

/// The store suite's admin-session cases on each store.
@Suite("Store suite: admin sessions")
struct AdminSessionStoreTests {
    @Test(arguments: StoreKind.available) func loginLinkIsRedeemedOnceBeforeItExpires(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).loginLinkIsRedeemedOnceBeforeItExpires() }
    }

    @Test(arguments: StoreKind.available) func concurrentRedemptionsOfOneLinkGiveOneEmail(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).concurrentRedemptionsOfOneLinkGiveOneEmail() }
    }

    @Test(arguments: StoreKind.available) func sessionEndsWhenIdleOrExpiredAndRecordsItsUse(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).sessionEndsWhenIdleOrExpiredAndRecordsItsUse() }
    }

    @Test(arguments: StoreKind.available) func signOutAndNewSessionsDropEndedOnes(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).signOutAndNewSessionsDropEndedOnes() }
    }

    @Test(arguments: StoreKind.available) func firstSignInIsRecordedBySessionsOnly(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).firstSignInIsRecordedBySessionsOnly() }
    }
}
