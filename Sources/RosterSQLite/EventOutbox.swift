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
        try append(
            db,
            directoryID: directoryID,
            type: type,
            resourceID: resourceID,
            serializedData: data.serialized(),
            previousAttributes: previousAttributes,
            at: timestamp
        )
    }

    /// Appends one event whose data is already serialized JSON (a resource's document as it was just stored).
    static func append(
        _ db: Database,
        directoryID: String,
        type: String,
        resourceID: String?,
        serializedData: String,
        previousAttributes: JSONValue? = nil,
        at timestamp: Int64
    ) throws {
        try db.executeCached(
            sql: """
                INSERT INTO event (id, directory_id, type, resource_id, data, previous_attributes, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                "evt_" + UUID().uuidString.lowercased(), directoryID, type, resourceID, serializedData, previousAttributes?.serialized(),
                timestamp,
            ]
        )
    }
}
