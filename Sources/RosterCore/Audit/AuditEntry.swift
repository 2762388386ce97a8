/// One thing an admin (or the command line, or an API key) did, as the audit trail records it. Entries are written
/// in the transaction of the change they record and are never changed afterwards. Values never hold a secret: a
/// token, key or signing secret appears only as `"rotated"` or `"issued"`.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// Who did it, and from where.
    public var actor: AuditActor
    /// What they did.
    public var action: AuditAction
    /// What they did it to.
    public var target: AuditTarget
    /// The values the change replaced, by name (empty when there were none).
    public var before: [String: String]
    /// The values after the change, by name, and what else describes it (a sign-in's method).
    public var after: [String: String]

    /// Makes an entry.
    public init(
        actor: AuditActor,
        action: AuditAction,
        target: AuditTarget,
        before: [String: String] = [:],
        after: [String: String] = [:]
    ) {
        self.actor = actor
        self.action = action
        self.target = target
        self.before = before
        self.after = after
    }
}

extension AuditEntry {
    /// What changed, one line per value, sorted by name: `name: "Old" → "New"` when both are known, `token:
    /// "rotated"` for a value set, `slug: was "design"` for one that went.
    public var changes: [String] {
        Set(before.keys).union(after.keys).sorted().map { name in
            switch (before[name], after[name]) {
            case (let old?, let new?): "\(name): \"\(old)\" → \"\(new)\""
            case (nil, let new?): "\(name): \"\(new)\""
            case (let old?, nil): "\(name): was \"\(old)\""
            case (nil, nil): name
            }
        }
    }
}

/// An audit entry as stored: its place in the trail and its time.
public struct RecordedAuditEntry: Sendable, Hashable, Codable {
    /// Its place in the trail: increasing, the keyset cursor of every reader.
    public var id: Int64
    /// When it was recorded, in milliseconds since 1970.
    public var at: Int64
    /// What it records.
    public var entry: AuditEntry

    /// Makes a recorded entry.
    public init(id: Int64, at: Int64, entry: AuditEntry) {
        self.id = id
        self.at = at
        self.entry = entry
    }
}
