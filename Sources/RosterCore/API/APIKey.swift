/// A key the application uses for the read API (`Authorization: Bearer`). Only its hash is stored.
public struct APIKey: Sendable, Hashable {
    /// The key's id.
    public var id: String
    /// What the admin called it.
    public var name: String
    /// The first characters of the key, to tell keys apart.
    public var prefix: String
    /// When it was created, in milliseconds since 1970.
    public var createdAt: Int64
    /// When it was last used (updated at most once a minute).
    public var lastUsedAt: Int64?
    /// When it was revoked; a revoked key authenticates nothing.
    public var revokedAt: Int64?

    /// Makes a key.
    public init(id: String, name: String, prefix: String, createdAt: Int64, lastUsedAt: Int64?, revokedAt: Int64?) {
        self.id = id
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// A new key: `rst_` and 32 random bytes in base64url, with the hash to store.
    public static func generate() -> (key: String, hash: [UInt8]) {
        let key = "rst_" + BearerToken.generate().token
        return (key, BearerToken.hash(key))
    }
}

/// API keys.
public protocol APIKeyStore: Sendable {
    /// Stores a new key's hash, recorded as created by `actor`.
    func createAPIKey(name: String, prefix: String, tokenHash: [UInt8], by actor: AuditActor) async throws -> APIKey
    /// Every key, newest first.
    func apiKeys() async throws -> [APIKey]
    /// Revokes a key, recorded as done by `actor`; false when there is no such live key.
    func revokeAPIKey(id: String, by actor: AuditActor) async throws -> Bool
    /// The id of the live key with `tokenHash`, marking it used at `at`.
    func apiKeyID(tokenHash: [UInt8], at: Int64) async throws -> String?
}
