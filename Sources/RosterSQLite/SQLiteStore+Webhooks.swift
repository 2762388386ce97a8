import Foundation
import GRDB
import RosterCore
import SCIM

extension SQLiteStore: WebhookStore {
    /// Creates an endpoint whose cursor starts at the newest event, with its audit entry (the secret only as issued).
    public func createWebhookEndpoint(url: String, eventTypes: [String], secret: String, by actor: AuditActor) async throws -> WebhookEndpoint {
        let endpoint = WebhookEndpoint(id: SQLiteStore.newID(), url: url, eventTypes: eventTypes, enabled: true, secret: secret, createdAt: now())
        try await commits.write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhook_endpoint (id, url, event_types, enabled, secret, cursor, created_at)
                    VALUES (?, ?, ?, 1, ?, (SELECT IFNULL(MAX(sequence), 0) FROM event), ?)
                    """,
                arguments: [endpoint.id, url, eventTypes.joined(separator: ","), secret, endpoint.createdAt]
            )
            try AuditTrail.append(db, .webhookCreated(endpoint, by: actor), at: endpoint.createdAt)
        }
        return endpoint
    }

    /// Every endpoint.
    public func webhookEndpoints() async throws -> [WebhookEndpoint] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteStore.endpointColumns) FROM webhook_endpoint ORDER BY created_at, id")
                .map(SQLiteStore.endpoint(from:))
        }
    }

    /// One endpoint.
    public func webhookEndpoint(id: String) async throws -> WebhookEndpoint? {
        try await writer.read { db in try SQLiteStore.fetchEndpoint(db, id: id) }
    }

    /// Updates URL, types and enabled, recording the values that changed (nothing when none did) in the same
    /// transaction.
    public func updateWebhookEndpoint(
        id: String,
        url: String,
        eventTypes: [String],
        enabled: Bool,
        by actor: AuditActor
    ) async throws -> WebhookEndpoint? {
        let timestamp = now()
        return try await commits.write { db in
            guard let previous = try SQLiteStore.fetchEndpoint(db, id: id) else { return nil }
            try db.execute(
                sql: "UPDATE webhook_endpoint SET url = ?, event_types = ?, enabled = ? WHERE id = ?",
                arguments: [url, eventTypes.joined(separator: ","), enabled, id]
            )
            guard let endpoint = try SQLiteStore.fetchEndpoint(db, id: id) else { return nil }
            if let entry = AuditEntry.webhookChanged(endpoint, from: previous, by: actor) { try AuditTrail.append(db, entry, at: timestamp) }
            return endpoint
        }
    }

    /// Rotates the secret with an overlap, recording the rotation (never the secret) in the same transaction.
    public func rotateWebhookSecret(id: String, newSecret: String, previousValidUntil: Int64, by actor: AuditActor) async throws -> WebhookEndpoint? {
        let timestamp = now()
        return try await commits.write { db in
            try db.execute(
                sql: """
                    UPDATE webhook_endpoint SET previous_secret = secret, previous_secret_expires_at = ?, secret = ? WHERE id = ?
                    """,
                arguments: [previousValidUntil, newSecret, id]
            )
            guard db.changesCount > 0, let endpoint = try SQLiteStore.fetchEndpoint(db, id: id) else { return nil }
            try AuditTrail.append(db, .webhookSecretRotated(endpoint, by: actor), at: timestamp)
            return endpoint
        }
    }

    /// Deletes an endpoint, recording what it was in the same transaction.
    public func deleteWebhookEndpoint(id: String, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await commits.write { db in
            guard let endpoint = try SQLiteStore.fetchEndpoint(db, id: id) else { return false }
            try db.execute(sql: "DELETE FROM webhook_endpoint WHERE id = ?", arguments: [id])
            try AuditTrail.append(db, .webhookDeleted(endpoint, by: actor), at: timestamp)
            return true
        }
    }

    /// Copies new events of the endpoint's types into deliveries and moves its cursor, in one transaction.
    public func enqueueWebhookDeliveries(endpointID: String, limit: Int, at: Int64) async throws -> Int {
        // The worker asks every poll interval; most of the time nothing is new, and a read answers that without
        // taking the write lock SCIM requests need.
        let behind = try await writer.read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT (SELECT IFNULL(MAX(sequence), 0) FROM event) > cursor FROM webhook_endpoint WHERE id = ?",
                arguments: [endpointID]
            ) ?? false
        }
        guard behind else { return 0 }
        return try await commits.write { db in
            guard let endpoint = try SQLiteStore.fetchEndpoint(db, id: endpointID),
                let cursor = try Int64.fetchOne(db, sql: "SELECT cursor FROM webhook_endpoint WHERE id = ?", arguments: [endpointID])
            else { return 0 }
            let events = try Row.fetchAll(
                db,
                sql: "SELECT sequence, id, type FROM event WHERE sequence > ? ORDER BY sequence LIMIT ?",
                arguments: [cursor, limit]
            )
            guard let last = events.last else { return 0 }
            for event in events where endpoint.wants(event[2]) {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO webhook_delivery (endpoint_id, sequence, event_id, event_type, state, attempts, next_attempt_at)
                        VALUES (?, ?, ?, ?, 'pending', 0, ?)
                        """,
                    arguments: [endpointID, event[0], event[1], event[2], at]
                )
            }
            try db.execute(sql: "UPDATE webhook_endpoint SET cursor = ? WHERE id = ?", arguments: [last[0] as Int64, endpointID])
            return events.count
        }
    }

    /// The lowest pending delivery with its event.
    public func nextWebhookDelivery(endpointID: String) async throws -> PendingWebhookDelivery? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(SQLiteStore.deliveryColumns) FROM webhook_delivery
                        WHERE endpoint_id = ? AND state = 'pending' ORDER BY sequence LIMIT 1
                        """,
                    arguments: [endpointID]
                )
            else { return nil }
            let delivery = SQLiteStore.delivery(from: row)
            return try PendingWebhookDelivery(delivery: delivery, stored: SQLiteStore.fetchEvent(db, sequence: delivery.sequence))
        }
    }

    /// Records an attempt while `owner` holds the endpoint's lease (checked in the same transaction).
    public func recordWebhookAttempt(
        endpointID: String,
        sequence: Int64,
        at: Int64,
        outcome: WebhookAttemptOutcome,
        owner: String
    ) async throws -> Bool {
        try await commits.write { db in
            guard try SQLiteStore.holdsWebhookLease(db, endpointID: endpointID, owner: owner) else { return false }
            switch outcome {
            case .delivered(let status, let response):
                try db.execute(
                    sql: """
                        UPDATE webhook_delivery SET state = 'delivered', attempts = attempts + 1, first_attempt_at = IFNULL(first_attempt_at, ?),
                            next_attempt_at = NULL, last_status = ?, last_response = ?, delivered_at = ?
                        WHERE endpoint_id = ? AND sequence = ?
                        """,
                    arguments: [at, status, response, at, endpointID, sequence]
                )
            case .failed(let status, let response, let next):
                try db.execute(
                    sql: """
                        UPDATE webhook_delivery SET state = ?, attempts = attempts + 1, first_attempt_at = IFNULL(first_attempt_at, ?),
                            next_attempt_at = ?, last_status = ?, last_response = ?
                        WHERE endpoint_id = ? AND sequence = ?
                        """,
                    arguments: [next == nil ? "dead" : "pending", at, next, status, response, endpointID, sequence]
                )
            }
            return true
        }
    }

    /// Takes or renews the lease in one upsert, measured by this process's clock (one process writes a SQLite file).
    public func claimWebhookLease(endpointID: String, owner: String, duration: Int64) async throws -> Bool {
        let now = WallClock.millisecondsSince1970()
        return try await commits.write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhook_lease (endpoint_id, owner, expires_at)
                    SELECT id, ?, ? FROM webhook_endpoint WHERE id = ? AND enabled
                    ON CONFLICT (endpoint_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                    WHERE webhook_lease.owner = excluded.owner OR webhook_lease.expires_at <= ?
                    """,
                arguments: [owner, now + duration, endpointID, now]
            )
            return db.changesCount > 0
        }
    }

    /// Enabled endpoints without a live lease of another owner.
    public func claimableWebhookEndpoints(owner: String) async throws -> [String] {
        let now = WallClock.millisecondsSince1970()
        return try await writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT e.id FROM webhook_endpoint e LEFT JOIN webhook_lease l ON l.endpoint_id = e.id
                    WHERE e.enabled AND (l.endpoint_id IS NULL OR l.owner = ? OR l.expires_at <= ?)
                    ORDER BY e.created_at, e.id
                    """,
                arguments: [owner, now]
            )
        }
    }

    /// The lease row, live by this process's clock.
    public func webhookLeaseHolder(endpointID: String) async throws -> WebhookLeaseHolder? {
        let now = WallClock.millisecondsSince1970()
        return try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT owner, expires_at FROM webhook_lease WHERE endpoint_id = ?", arguments: [endpointID]).map { row in
                let expiresAt: Int64 = row[1]
                return WebhookLeaseHolder(owner: row[0], expiresAt: expiresAt, isLive: expiresAt > now)
            }
        }
    }

    /// Deletes the lease row when `owner` holds it.
    public func releaseWebhookLease(endpointID: String, owner: String) async throws {
        try await commits.write { db in
            try db.execute(sql: "DELETE FROM webhook_lease WHERE endpoint_id = ? AND owner = ?", arguments: [endpointID, owner])
        }
    }

    /// Whether `owner` holds the endpoint's unexpired lease.
    static func holdsWebhookLease(_ db: Database, endpointID: String, owner: String) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM webhook_lease WHERE endpoint_id = ? AND owner = ? AND expires_at > ?)",
            arguments: [endpointID, owner, WallClock.millisecondsSince1970()]
        ) ?? false
    }

    /// The endpoint's deliveries, newest first.
    public func webhookDeliveries(endpointID: String, limit: Int) async throws -> [WebhookDelivery] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(SQLiteStore.deliveryColumns) FROM webhook_delivery WHERE endpoint_id = ? ORDER BY sequence DESC LIMIT ?",
                arguments: [endpointID, limit]
            ).map(SQLiteStore.delivery(from:))
        }
    }

    /// Pending deliveries plus unseen events, per endpoint.
    public func webhookBacklog() async throws -> [String: Int] {
        try await writer.read { db in
            var backlog: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT e.id, (SELECT COUNT(*) FROM webhook_delivery d WHERE d.endpoint_id = e.id AND d.state = 'pending')
                        + MAX(0, (SELECT IFNULL(MAX(sequence), 0) FROM event) - e.cursor)
                    FROM webhook_endpoint e
                    """
            ) {
                backlog[row[0]] = row[1]
            }
            return backlog
        }
    }

    /// Queues an event again with a fresh retry window, with its audit entry in the same transaction.
    public func redeliverWebhook(endpointID: String, sequence: Int64, at: Int64, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await commits.write { db in
            guard let endpoint = try SQLiteStore.fetchEndpoint(db, id: endpointID),
                let event = try Row.fetchOne(db, sql: "SELECT id, type FROM event WHERE sequence = ?", arguments: [sequence])
            else { return false }
            try db.execute(
                sql: """
                    INSERT INTO webhook_delivery (endpoint_id, sequence, event_id, event_type, state, attempts, next_attempt_at)
                    VALUES (?, ?, ?, ?, 'pending', 0, ?)
                    ON CONFLICT (endpoint_id, sequence) DO UPDATE SET state = 'pending', attempts = 0, first_attempt_at = NULL,
                        next_attempt_at = excluded.next_attempt_at, delivered_at = NULL
                    """,
                arguments: [endpointID, sequence, event[0] as String, event[1] as String, at]
            )
            try AuditTrail.append(db, .webhookRedelivered(endpoint, sequence: sequence, by: actor), at: timestamp)
            return true
        }
    }

    // MARK: Rows

    private static let endpointColumns =
        "id, url, event_types, enabled, secret, previous_secret, previous_secret_expires_at, created_at"
    private static let deliveryColumns =
        "endpoint_id, sequence, event_id, event_type, state, attempts, first_attempt_at, next_attempt_at, last_status, last_response, delivered_at"

    private static func fetchEndpoint(_ db: Database, id: String) throws -> WebhookEndpoint? {
        try Row.fetchOne(db, sql: "SELECT \(endpointColumns) FROM webhook_endpoint WHERE id = ?", arguments: [id]).map(endpoint(from:))
    }

    private static func endpoint(from row: Row) -> WebhookEndpoint {
        let types: String = row[2]
        return WebhookEndpoint(
            id: row[0],
            url: row[1],
            eventTypes: types.split(separator: ",").map(String.init),
            enabled: row[3],
            secret: row[4],
            previousSecret: row[5],
            previousSecretExpiresAt: row[6],
            createdAt: row[7]
        )
    }

    private static func delivery(from row: Row) -> WebhookDelivery {
        WebhookDelivery(
            endpointID: row[0],
            sequence: row[1],
            eventID: row[2],
            eventType: row[3],
            state: WebhookDeliveryState(rawValue: row[4]) ?? .pending,
            attempts: row[5],
            firstAttemptAt: row[6],
            nextAttemptAt: row[7],
            lastStatus: row[8],
            lastResponse: row[9],
            deliveredAt: row[10]
        )
    }

    /// The event with `sequence`.
    static func fetchEvent(_ db: Database, sequence: Int64) throws -> OutboxEvent? {
        try Row.fetchOne(
            db,
            sql: "SELECT sequence, id, type, directory_id, resource_id, data, previous_attributes, created_at FROM event WHERE sequence = ?",
            arguments: [sequence]
        ).map(event(from:))
    }

    /// An event from `sequence, id, type, directory_id, resource_id, data, previous_attributes, created_at`.
    static func event(from row: Row) -> OutboxEvent {
        let previous: String? = row[6]
        return OutboxEvent(
            sequence: row[0],
            id: row[1],
            type: row[2],
            directoryID: row[3],
            resourceID: row[4],
            data: (try? JSONParser().parse(row[5] as String)) ?? .null,
            previousAttributes: try? previous.map { try JSONParser().parse($0) },
            createdAt: row[7]
        )
    }
}
