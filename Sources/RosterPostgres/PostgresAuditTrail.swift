import Foundation
import PostgresNIO
import RosterCore

/// Appends audit entries to `audit_entry` inside a write transaction, at its end: ``PostgresTransaction/commit()``
/// calls ``lock()`` first and ``insert(_:)`` last, just before `COMMIT`, for the entries the transaction's body
/// queued with ``PostgresTransaction/record(_:at:)``.
///
/// Order: readers follow the trail with `id > after` (``AuditQuery/Cursor/after(_:)``), so ids must become visible
/// in order, as event sequences do. An identity value is drawn at the insert, not at the commit: without a lock,
/// transaction A could take id 41, B take 42 and commit first, and a reader of `after=40` would see 42, move its
/// cursor and never see 41. So every audit insert comes after a transaction-scoped advisory lock on
/// ``lockKey`` that `COMMIT` releases: audit writers draw their ids and commit one after another.
///
/// Lock order: a transaction that records an audit entry and also appends events takes the audit lock first and the
/// event feed lock second (``PostgresTransaction/commit()``: the feed lock is taken by the event insert), always,
/// and holds both until `COMMIT`; no transaction takes the feed lock and then asks for the audit lock. Both are taken
/// at commit, after every row lock of the transaction, and after the audit lock its holder waits for nothing but the
/// feed lock (the audit insert has no foreign key and no unique key but its identity). So a cycle through the audit
/// lock would need a feed lock holder that waits for a row lock, and the only one is the one-statement user create
/// (``PostgresWriteStatements/CreateUser``), whose foreign-key check of its directory follows its feed lock: against
/// a deletion of that directory it can already deadlock on the feed lock alone, which PostgreSQL detects (40P01) and
/// ``PostgresStore/mapped(_:)`` answers as a retryable 503. The audit lock adds no cycle of its own; it only lets
/// that one pass through a third transaction (the deletion waiting for the audit lock behind a holder that waits
/// for the feed lock), and it is detected and retried the same way.
struct PostgresAuditTrail {
    /// The open transaction.
    let transaction: PostgresTransaction

    /// The advisory lock key every audit insert is made under (`pg_advisory_xact_lock`): "Roster" and 3.
    static let lockKey: Int64 = 0x526F_7374_6572_0003

    /// Takes the audit lock until the transaction ends; before the event feed lock, if the transaction takes it.
    func lock() async throws {
        try await transaction.execute("SELECT pg_advisory_xact_lock(\(PostgresAuditTrail.lockKey))")
    }

    /// Inserts `entries` (each with its time, in milliseconds since 1970), in order; the caller holds the audit lock
    /// (``lock()``) and commits right after.
    func insert(_ entries: [(entry: AuditEntry, at: Int64)]) async throws {
        for (entry, at) in entries {
            let before = try AuditStoredValues.text(of: entry.before)
            let after = try AuditStoredValues.text(of: entry.after)
            try await transaction.execute(
                """
                INSERT INTO audit_entry (at, actor_kind, actor, actor_detail, address, action, target_kind, target_id, target_name, before, after)
                VALUES (\(at), \(entry.actor.kind.rawValue), \(entry.actor.name), \(entry.actor.detail), \(entry.actor.address),
                    \(entry.action.rawValue), \(entry.target.kind), \(entry.target.id), \(entry.target.name), \(before), \(after))
                """
            )
        }
    }

    // MARK: Values

    /// The columns ``recorded(from:)`` decodes, in order.
    static let columns =
        "id, at, actor_kind, actor, actor_detail, address, action, target_kind, target_id, target_name, before, after"

    /// A recorded entry from the ``columns`` of a row.
    static func recorded(from row: PostgresRow) throws -> RecordedAuditEntry {
        let (id, at, actorKind, actor, actorDetail, address, action, targetKind, targetID, targetName, before, after) = try row.decode(
            (Int64, Int64, String, String, String?, String?, String, String, String, String, String?, String?).self
        )
        let entry = AuditEntry(
            actor: AuditActor(kind: AuditActor.Kind(rawValue: actorKind), name: actor, detail: actorDetail, address: address),
            action: AuditAction(rawValue: action),
            target: AuditTarget(kind: targetKind, id: targetID, name: targetName),
            before: try AuditStoredValues.values(of: before),
            after: try AuditStoredValues.values(of: after)
        )
        return RecordedAuditEntry(id: id, at: at, entry: entry)
    }
}
