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

/// What a redirected-to page shows once: a flash message, and a freshly made SCIM token (which Roster never stores,
/// so it lives here only until the next page view). Kept in memory per session, for at most ten minutes.
actor FlashMessages {
    private struct Pending {
        var message: FlashMessage?
        var revealedTokens: [String: String] = [:]
        var at: ContinuousClock.Instant
    }

    private var pending: [String: Pending] = [:]
    private static let lifetime = Duration.seconds(600)

    /// Makes an empty store.
    init() {}

    /// Leaves `message` for the session's next page.
    func leave(_ message: FlashMessage, for session: String) {
        prune()
        pending[session, default: Pending(at: .now)].message = message
        pending[session]?.at = .now
    }

    /// Leaves a new secret under `key` (a directory id, `webhook:ID`, `api-key`) for the session's next view of the
    /// page that shows it.
    func reveal(token: String, key: String, for session: String) {
        prune()
        pending[session, default: Pending(at: .now)].revealedTokens[key] = token
        pending[session]?.at = .now
    }

    /// Takes the session's message, if any.
    func takeMessage(for session: String) -> FlashMessage? {
        defer { pending[session]?.message = nil }
        return pending[session]?.message
    }

    /// Takes the secret revealed under `key`, if any.
    func takeToken(key: String, for session: String) -> String? {
        pending[session]?.revealedTokens.removeValue(forKey: key)
    }

    private func prune() {
        let now = ContinuousClock.now
        pending = pending.filter { now - $0.value.at < FlashMessages.lifetime }
    }
}
