import Foundation
import RosterCore

/// Sign-ins started but not finished, each bound to one browser by a random value in its `roster_oidc` cookie (only
/// the value's hash is stored). They are kept in the database (``BrowserStateStore``), so the provider's callback
/// may land on another replica than the start. A sign-in can be finished once, within 10 minutes; at most 10 000
/// wait at a time (when full, expired ones are dropped, then the oldest).
struct PendingSignIns: Sendable {
    /// Where sign-ins wait.
    let store: any BrowserStateStore
    /// The clock, in milliseconds since 1970.
    let now: @Sendable () -> Int64

    /// How long a sign-in may take, in seconds (also the flow cookie's max age).
    static let lifetime: TimeInterval = 600
    /// How many may wait at once.
    static let capacity = 10_000

    /// Sign-ins kept in `store`.
    init(store: any BrowserStateStore, now: @escaping @Sendable () -> Int64 = { WallClock.millisecondsSince1970() }) {
        self.store = store
        self.now = now
    }

    /// Starts a sign-in; returns the value for the browser's cookie and what to send to the provider.
    func start() async throws -> (cookie: String, signIn: PendingSignIn) {
        let (cookie, key) = BearerToken.generate()
        let at = now()
        let signIn = PendingSignIn(
            state: BearerToken.generate().token,
            nonce: BearerToken.generate().token,
            verifier: PKCE.makeVerifier(),
            startedAt: at
        )
        try await store.savePendingSignIn(cookieHash: key, signIn, expiredBefore: at - Self.lifetimeMilliseconds, capacity: Self.capacity)
        return (cookie, signIn)
    }

    /// Removes and returns the sign-in a cookie names; nil when there is none, it was finished, or it expired.
    func finish(cookie: String) async throws -> PendingSignIn? {
        guard let signIn = try await store.takePendingSignIn(cookieHash: BearerToken.hash(cookie)) else { return nil }
        return now() - signIn.startedAt < Self.lifetimeMilliseconds ? signIn : nil
    }

    private static var lifetimeMilliseconds: Int64 { Int64(lifetime * 1000) }
}
