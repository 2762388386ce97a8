/// Where the audit trail is kept. Entries of actions that change something are written by the change's own store
/// method, in its transaction (each such method takes the ``AuditActor``); this protocol appends the entries of
/// actions that change nothing stored, reads the trail, and applies the retention.
public protocol AuditStore: Sendable {
    /// Appends an entry for an action that changes nothing else stored (a refused sign-in, a test event sent).
    func recordAudit(_ entry: AuditEntry) async throws
    /// The entries matching `query`, in its order.
    func auditEntries(_ query: AuditQuery) async throws -> [RecordedAuditEntry]
    /// Deletes every entry recorded before `cutoff` (milliseconds since 1970); how many went.
    func deleteAuditEntries(recordedBefore cutoff: Int64) async throws -> Int
}

/// Which audit entries to read, and from where: newest first before a cursor (the page and the API), or oldest
/// first after one (`roster audit --after`, `--follow`).
public struct AuditQuery: Sendable, Hashable {
    /// Where reading starts.
    public enum Cursor: Sendable, Hashable {
        /// Newest first, from the newest entry.
        case newest
        /// Newest first, entries older than this id.
        case before(Int64)
        /// Oldest first, entries newer than this id (0: from the first).
        case after(Int64)
    }

    /// Only entries by this actor (an admin's email, `cli` or an API key's name), exactly.
    public var actor: String?
    /// Only entries of this action.
    public var action: AuditAction?
    /// Only entries whose target is of this kind (`team`, `directory`, …).
    public var targetKind: String?
    /// Only entries whose target has this id or this name, exactly.
    public var target: String?
    /// Where reading starts.
    public var cursor: Cursor
    /// At most this many entries.
    public var limit: Int

    /// Makes a query.
    public init(
        actor: String? = nil,
        action: AuditAction? = nil,
        targetKind: String? = nil,
        target: String? = nil,
        cursor: Cursor = .newest,
        limit: Int = 50
    ) {
        self.actor = actor
        self.action = action
        self.targetKind = targetKind
        self.target = target
        self.cursor = cursor
        self.limit = limit
    }

    /// Whether entries are read oldest first.
    public var isAscending: Bool {
        if case .after = cursor { return true }
        return false
    }
}

/// How long audit entries are kept (`AUDIT_RETENTION_DAYS`) and which ones have outlived it: whole days, so an
/// entry goes at the first UTC midnight after it is older than the retention.
public struct AuditRetention: Sendable, Hashable {
    /// Days entries are kept; 365 by default.
    public var days: Int

    /// The default retention.
    public static let defaultDays = 365

    /// The longest retention: 100 years (`AUDIT_RETENTION_DAYS` refuses more).
    public static let maximumDays = 36_500

    /// Makes a retention of `days`, kept within 1 and ``maximumDays``.
    public init(days: Int = AuditRetention.defaultDays) {
        self.days = min(max(1, days), Self.maximumDays)
    }

    /// The cutoff at `now` (milliseconds since 1970): entries recorded before it are past the retention. It is a
    /// UTC midnight, so whole days go at once.
    public func cutoff(at now: Int64) -> Int64 {
        let day: Int64 = 86_400_000
        let oldestKept = now - Int64(days) * day
        return oldestKept - ((oldestKept % day) + day) % day
    }
}
