import Foundation
import GRDB
import SCIM

/// Appends domain events to the outbox table inside the transaction that made the change, so an event is queued
/// exactly when its change is durable. The webhook worker (a later issue) delivers them in `sequence` order.
enum EventOutbox {
    /// Appends one event.
    static func append(
        _ db: Database,
        directoryID: String,
        type: String,
        resourceID: String?,
        data: JSONValue,
        previousAttributes: JSONValue? = nil,
        at timestamp: Int64
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO event (id, directory_id, type, resource_id, data, previous_attributes, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                "evt_" + UUID().uuidString.lowercased(), directoryID, type, resourceID, data.serialized(), previousAttributes?.serialized(),
                timestamp,
            ]
        )
    }
}
