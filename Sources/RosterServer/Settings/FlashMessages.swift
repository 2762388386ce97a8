import RosterCore

/// A message shown once after an action ("3 members joined Platform").
struct FlashMessage: Sendable, Hashable {
    /// How it is styled: success, warning or error.
    enum Kind: String, Sendable {
        /// It worked.
        case success
        /// It worked, but something deserves a look.
        case warning
        /// It did not work.
        case error
    }

    /// The style, as the template's CSS class suffix.
    var kind: String
    /// The text.
    var message: String

    /// Makes a message.
    init(_ kind: Kind, _ message: String) {
        self.kind = kind.rawValue
        self.message = message
    }
}

/// Whose flash values these are: the session's token hash (the database key) and the box that seals them with a key
/// only the session's cookie gives.
struct FlashOwner: Sendable {
    /// The session token's hash.
    var sessionHash: [UInt8]
    /// Seals and opens the session's values.
    var box: SessionSecretBox

    /// The owner of the session whose cookie holds `sessionToken`.
    init(sessionToken: String) {
        sessionHash = BearerToken.hash(sessionToken)
        box = SessionSecretBox(sessionToken: sessionToken)
    }
}

/// What a redirected-to page shows once: a flash message, and a freshly made secret (a SCIM token, API key or
/// webhook secret, which Roster never stores in the clear). Kept in the database (``BrowserStateStore``), so the
/// redirect may land on any replica, sealed with the session's cookie, for at most ten minutes; taking a value
/// deletes it.
struct FlashMessages: Sendable {
    /// Where values wait.
    let store: any BrowserStateStore
    /// The clock, in milliseconds since 1970.
    let now: @Sendable () -> Int64

    /// How long a value waits for its page, in milliseconds.
    static let lifetime: Int64 = 600_000
    private static let messageKey = "message"

    /// Values kept in `store`.
    init(store: any BrowserStateStore, now: @escaping @Sendable () -> Int64 = { WallClock.millisecondsSince1970() }) {
        self.store = store
        self.now = now
    }

    /// Leaves `message` for the session's next page.
    func leave(_ message: FlashMessage, for owner: FlashOwner) async throws {
        try await put(message.kind + "\n" + message.message, key: Self.messageKey, for: owner)
    }

    /// Leaves a new secret under `key` (a directory id, `webhook:ID`, `api-key`) for the session's next view of the
    /// page that shows it.
    func reveal(token: String, key: String, for owner: FlashOwner) async throws {
        try await put(token, key: "secret:" + key, for: owner)
    }

    /// Takes the session's message, if any.
    func takeMessage(for owner: FlashOwner) async throws -> FlashMessage? {
        guard let text = try await take(key: Self.messageKey, for: owner), let newline = text.firstIndex(of: "\n") else { return nil }
        let kind = FlashMessage.Kind(rawValue: String(text[..<newline])) ?? .success
        return FlashMessage(kind, String(text[text.index(after: newline)...]))
    }

    /// Takes the secret revealed under `key`, if any.
    func takeToken(key: String, for owner: FlashOwner) async throws -> String? {
        try await take(key: "secret:" + key, for: owner)
    }

    private func put(_ text: String, key: String, for owner: FlashOwner) async throws {
        let at = now()
        try await store.leaveFlash(sessionHash: owner.sessionHash, key: key, sealed: try owner.box.seal(text), at: at, expiresAt: at + Self.lifetime)
    }

    private func take(key: String, for owner: FlashOwner) async throws -> String? {
        guard let sealed = try await store.takeFlash(sessionHash: owner.sessionHash, key: key, at: now()) else { return nil }
        return owner.box.open(sealed)
    }
}
