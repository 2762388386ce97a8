import GRDB
import RosterCore

/// Appends domain events (built by ``NewEvent``'s builders in RosterCore) to the outbox table inside the transaction
/// that made the change, so an event is queued exactly when its change is durable. SQLite has one writer, so
/// `sequence` values become visible in commit order and the feed never skips.
enum EventOutbox {
    /// Appends one event.
    static func append(_ db: Database, _ event: NewEvent, at timestamp: Int64) throws {
        try db.executeCached(
            sql: """
                INSERT INTO event (id, directory_id, type, resource_id, data, previous_attributes, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [event.id, event.directoryID, event.type.rawValue, event.resourceID, event.data, event.previousAttributes, timestamp]
        )
    }
}
