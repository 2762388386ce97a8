import GRDB
import RosterCore

extension SQLiteStore: AuditStore {
    /// Appends an entry of an action that changes nothing else, at the store's time, in its own commit.
    public func recordAudit(_ entry: AuditEntry) async throws {
        let timestamp = now()
        try await commits.write { db in try AuditTrail.append(db, entry, at: timestamp) }
    }

    /// The entries matching the query's filters (each exact), newest first from the newest or before an id, or
    /// oldest first after an id, at most its limit; every order walks the primary key.
    public func auditEntries(_ query: AuditQuery) async throws -> [RecordedAuditEntry] {
        try await writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let actor = query.actor {
                conditions.append("actor = ?")
                arguments += [actor]
            }
            if let action = query.action {
                conditions.append("action = ?")
                arguments += [action.rawValue]
            }
            if let targetKind = query.targetKind {
                conditions.append("target_kind = ?")
                arguments += [targetKind]
            }
            if let target = query.target {
                conditions.append("(target_id = ? OR target_name = ?)")
                arguments += [target, target]
            }
            switch query.cursor {
            case .newest:
                break
            case .before(let id):
                conditions.append("id < ?")
                arguments += [id]
            case .after(let id):
                conditions.append("id > ?")
                arguments += [id]
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            let order = query.isAscending ? "ASC" : "DESC"
            return try Row.fetchAll(
                db,
                sql: "SELECT \(AuditTrail.columns) FROM audit_entry\(filter) ORDER BY id \(order) LIMIT ?",
                arguments: arguments + [max(0, query.limit)]
            ).map(AuditTrail.recorded(from:))
        }
    }

    /// Deletes the entries recorded before `cutoff` in one commit (the retention's only delete); how many went.
    public func deleteAuditEntries(recordedBefore cutoff: Int64) async throws -> Int {
        try await commits.write { db in
            try db.execute(sql: "DELETE FROM audit_entry WHERE at < ?", arguments: [cutoff])
            return db.changesCount
        }
    }
}
