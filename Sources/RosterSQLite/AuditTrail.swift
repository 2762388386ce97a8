import Foundation
import GRDB
import RosterCore

/// Appends audit entries (built by ``AuditEntry``'s factories in RosterCore) to `audit_entry` inside the transaction
/// of the change they record, so an entry exists exactly when its change is durable; and reads rows back. `before`
/// and `after` are stored as JSON objects with sorted keys, NULL when empty.
enum AuditTrail {
    /// The columns ``recorded(from:)`` reads, in its order.
    static let columns = "id, at, actor_kind, actor, actor_detail, address, action, target_kind, target_id, target_name, before, after"

    /// Appends one entry, recorded at `timestamp` (milliseconds since 1970), in the open transaction.
    static func append(_ db: Database, _ entry: AuditEntry, at timestamp: Int64) throws {
        let before = try AuditStoredValues.text(of: entry.before)
        let after = try AuditStoredValues.text(of: entry.after)
        try db.executeCached(
            sql: """
                INSERT INTO audit_entry (at, actor_kind, actor, actor_detail, address, action, target_kind, target_id, target_name, before, after)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                timestamp, entry.actor.kind.rawValue, entry.actor.name, entry.actor.detail, entry.actor.address, entry.action.rawValue,
                entry.target.kind, entry.target.id, entry.target.name, before, after,
            ]
        )
    }

    /// A row of ``columns`` as the entry it stores.
    static func recorded(from row: Row) throws -> RecordedAuditEntry {
        let actor = AuditActor(
            kind: AuditActor.Kind(rawValue: row[2]),
            name: row[3],
            detail: row[4],
            address: row[5]
        )
        let entry = AuditEntry(
            actor: actor,
            action: AuditAction(rawValue: row[6]),
            target: AuditTarget(kind: row[7], id: row[8], name: row[9]),
            before: try AuditStoredValues.values(of: row[10]),
            after: try AuditStoredValues.values(of: row[11])
        )
        return RecordedAuditEntry(id: row[0], at: row[1], entry: entry)
    }

    /// The user in row `userRow` as an audit entry names them; nil when there is no such row.
    static func user(_ db: Database, row userRow: Int64) throws -> UserIdentity? {
        try Row.fetchOne(db, sql: "SELECT id, user_name FROM scim_user WHERE row_id = ?", arguments: [userRow]).map {
            UserIdentity(id: $0[0], userName: $0[1])
        }
    }
}
