/// What an OpenID Connect sign-in carries from its start to its callback. It is bound to one browser by a random
/// value in a cookie, of which only the hash is stored.
public struct PendingSignIn: Sendable, Hashable {
    /// The `state` sent to the provider.
    public var state: String
    /// The `nonce` sent to the provider.
    public var nonce: String
    /// The PKCE verifier.
    public var verifier: String
    /// When it started, in milliseconds since 1970.
    public var startedAt: Int64

    /// Makes a sign-in.
    public init(state: String, nonce: String, verifier: String, startedAt: Int64) {
        self.state = state
        self.nonce = nonce
        self.verifier = verifier
        self.startedAt = startedAt
    }
}
