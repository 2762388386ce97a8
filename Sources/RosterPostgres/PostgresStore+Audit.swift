import PostgresNIO
import RosterCore

/// The audit trail (``AuditStore``) in PostgreSQL: the entries of changes are written by the changes' own methods
/// (``PostgresTransaction/record(_:at:)``); this appends the entries of actions that change nothing else, reads the
/// trail and applies the retention.
extension PostgresStore: AuditStore {
    /// Appends an entry of an action that changes nothing else, at the store's time, in a transaction of its own
    /// (under the audit lock, like every audit insert: ``PostgresAuditTrail``).
    public func recordAudit(_ entry: AuditEntry) async throws {
        let timestamp = now()
        try await write { transaction in transaction.record(entry, at: timestamp) }
    }

    /// The entries matching the query's filters (each exact; the target by id or by name), newest first from the
    /// newest or before an id, or oldest first after an id, at most its limit; every order walks the primary key.
    /// Audit writers commit in id order, so a reader that moves its cursor past what it saw never skips an entry.
    public func auditEntries(_ query: AuditQuery) async throws -> [RecordedAuditEntry] {
        try await read { reader in
            try await reader.rows(PostgresStore.auditStatement(query)).map(PostgresAuditTrail.recorded(from:))
        }
    }

    /// Deletes the entries recorded before `cutoff` in one statement (the retention's only delete: the append-only
    /// trigger refuses updates, not deletes); how many went.
    public func deleteAuditEntries(recordedBefore cutoff: Int64) async throws -> Int {
        try await write { transaction in
            let deleted = try await transaction.first(
                "WITH gone AS (DELETE FROM audit_entry WHERE at < \(cutoff) RETURNING 1) SELECT count(*) FROM gone"
            )?.decode(Int64.self)
            return Int(deleted ?? 0)
        }
    }

    /// The `SELECT` of ``auditEntries(_:)``: the query's filters and cursor as bound conditions, its order, its limit.
    private static func auditStatement(_ query: AuditQuery) -> PostgresQuery {
        var conditions: [String] = []
        var binds = PostgresBindings()
        if let actor = query.actor { conditions.append("actor = \(binds.placeholder(actor))") }
        if let action = query.action { conditions.append("action = \(binds.placeholder(action.rawValue))") }
        if let targetKind = query.targetKind { conditions.append("target_kind = \(binds.placeholder(targetKind))") }
        if let target = query.target {
            let parameter = binds.placeholder(target)
            conditions.append("(target_id = \(parameter) OR target_name = \(parameter))")
        }
        switch query.cursor {
        case .newest:
            break
        case .before(let id):
            conditions.append("id < \(binds.placeholder(id))")
        case .after(let id):
            conditions.append("id > \(binds.placeholder(id))")
        }
        binds.append(Int64(max(0, query.limit)))
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let order = query.isAscending ? "ASC" : "DESC"
        return PostgresQuery(
            unsafeSQL: "SELECT \(PostgresAuditTrail.columns) FROM audit_entry\(filter) ORDER BY id \(order) LIMIT $\(binds.count)",
            binds: binds
        )
    }
}
