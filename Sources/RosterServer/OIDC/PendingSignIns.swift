import Foundation
import RosterCore

/// Sign-ins started but not finished, each bound to one browser by a random value in its `roster_oidc` cookie (only
/// the value's hash is kept). A sign-in can be finished once, within 10 minutes; at most 10 000 wait at a time (when
/// full, expired ones are dropped, then the oldest). Kept in memory: a restart only makes a half-done sign-in start again.
final class PendingSignIns: @unchecked Sendable {
    /// What a sign-in carries from its start to its callback.
    struct SignIn: Sendable, Hashable {
        /// The `state` sent to the provider.
        var state: String
        /// The `nonce` sent to the provider.
        var nonce: String
        /// The PKCE verifier.
        var verifier: String
        /// When it started.
        var startedAt: Date
    }

    /// How long a sign-in may take.
    static let lifetime: TimeInterval = 600
    /// How many may wait at once.
    static let capacity = 10_000

    private let lock = NSLock()
    private var pending: [[UInt8]: SignIn] = [:]
    private let now: @Sendable () -> Date

    /// An empty set of sign-ins.
    init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Starts a sign-in; returns the value for the browser's cookie and what to send to the provider.
    func start() -> (cookie: String, signIn: SignIn) {
        let (cookie, key) = BearerToken.generate()
        let signIn = SignIn(
            state: BearerToken.generate().token,
            nonce: BearerToken.generate().token,
            verifier: PKCE.makeVerifier(),
            startedAt: now()
        )
        lock.withLock {
            if pending.count >= Self.capacity {
                let current = now()
                pending = pending.filter { current.timeIntervalSince($0.value.startedAt) < Self.lifetime }
                if pending.count >= Self.capacity, let oldest = pending.min(by: { $0.value.startedAt < $1.value.startedAt }) {
                    pending[oldest.key] = nil
                }
            }
            pending[key] = signIn
        }
        return (cookie, signIn)
    }

    /// Removes and returns the sign-in a cookie names; nil when there is none, it was finished, or it expired.
    func finish(cookie: String) -> SignIn? {
        let key = BearerToken.hash(cookie)
        return lock.withLock {
            guard let signIn = pending.removeValue(forKey: key) else { return nil }
            return now().timeIntervalSince(signIn.startedAt) < Self.lifetime ? signIn : nil
        }
    }
}
