/// What a browser carries from one request to the next, kept in the database so that the next request may land on
/// another replica: the settings pages' flash values (a message, a secret shown once), OpenID Connect and SAML
/// sign-ins between their start and their callback, and the SAML assertions already used. Every value is taken at
/// most once; nothing here outlives its expiry.
public protocol BrowserStateStore: Sendable {
    /// Leaves `sealed` under (`sessionHash`, `key`) until `expiresAt`, replacing what was there, and drops every
    /// value that expired before `at`.
    func leaveFlash(sessionHash: [UInt8], key: String, sealed: [UInt8], at: Int64, expiresAt: Int64) async throws
    /// Removes and returns the value under (`sessionHash`, `key`) unless it expired by `at`. Of two concurrent takes,
    /// one gets the value.
    func takeFlash(sessionHash: [UInt8], key: String, at: Int64) async throws -> [UInt8]?
    /// Stores a started sign-in under the hash of its browser's cookie. Sign-ins that started before `expiredBefore`
    /// are dropped; when `capacity` are still waiting, the oldest are dropped to make room.
    func savePendingSignIn(cookieHash: [UInt8], _ signIn: PendingSignIn, expiredBefore: Int64, capacity: Int) async throws
    /// Removes and returns the sign-in stored under `cookieHash`, if any (expired or not: the caller checks).
    func takePendingSignIn(cookieHash: [UInt8]) async throws -> PendingSignIn?
    /// Stores a started SAML sign-in under the hash of its `RelayState`. Requests that started before
    /// `expiredBefore` are dropped; when `capacity` are still waiting, the oldest are dropped to make room.
    func saveSAMLRequest(relayStateHash: [UInt8], _ request: PendingSAMLRequest, expiredBefore: Int64, capacity: Int) async throws
    /// Removes and returns the SAML request stored under `relayStateHash`, if any (expired or not: the caller checks).
    func takeSAMLRequest(relayStateHash: [UInt8]) async throws -> PendingSAMLRequest?
    /// Records that the assertion `id` was used, remembered until `until`; false when it was already remembered (a
    /// replay). Drops the ones remembered until before `at`. Of two concurrent uses, one gets true.
    func rememberSAMLAssertion(id: String, until: Int64, at: Int64) async throws -> Bool
}

/// A SAML sign-in between `/auth/saml/start` and the ACS: the AuthnRequest's ID, which the assertion's
/// `InResponseTo` must name.
public struct PendingSAMLRequest: Sendable, Hashable {
    /// The AuthnRequest's ID.
    public var requestID: String
    /// When it started, in milliseconds since 1970.
    public var startedAt: Int64

    /// Makes one.
    public init(requestID: String, startedAt: Int64) {
        self.requestID = requestID
        self.startedAt = startedAt
    }
}
