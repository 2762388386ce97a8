import Foundation
import PostgresNIO
import RosterCore
import SCIM

/// Webhook endpoints and their deliveries (``WebhookStore``) in PostgreSQL. An endpoint's event types are stored as
/// SQLite stores them: one TEXT of comma-separated types, empty for every type.
///
/// Several workers (or a worker and an admin) may act on one endpoint at once: moving the cursor locks the endpoint
/// row (`FOR UPDATE`), delivery rows are inserted with `ON CONFLICT DO NOTHING`, and attempts and redeliveries are
/// single statements on the delivery row, so no event is queued twice and no attempt is lost.
extension PostgresStore {
    /// Creates an endpoint whose cursor starts at the newest committed event, so it receives events committed from
    /// now on (event writers hold the feed lock until they commit, so none commits below the cursor later); the audit
    /// entry records the secret only as issued.
    public func createWebhookEndpoint(url: String, eventTypes: [String], secret: String, by actor: AuditActor) async throws -> WebhookEndpoint {
        let endpoint = WebhookEndpoint(id: PostgresStore.newID(), url: url, eventTypes: eventTypes, enabled: true, secret: secret, createdAt: now())
        let types = eventTypes.joined(separator: ",")
        try await write { transaction in
            try await transaction.execute(
                """
                INSERT INTO webhook_endpoint (id, url, event_types, enabled, secret, cursor, created_at)
                VALUES (\(endpoint.id), \(url), \(types), TRUE, \(secret), (SELECT COALESCE(MAX(sequence), 0) FROM event), \(endpoint.createdAt))
                """
            )
            transaction.record(.webhookCreated(endpoint, by: actor), at: endpoint.createdAt)
        }
        return endpoint
    }

    /// Every endpoint, oldest first (ties by id, compared bytewise as SQLite does).
    public func webhookEndpoints() async throws -> [WebhookEndpoint] {
        try await read { reader in
            try await reader.rows(
                "SELECT \(unescaped: PostgresStore.endpointColumns) FROM webhook_endpoint ORDER BY created_at, id COLLATE \"C\""
            ).map(PostgresStore.endpoint(from:))
        }
    }

    /// The endpoint with `id`.
    public func webhookEndpoint(id: String) async throws -> WebhookEndpoint? {
        try await read { reader in
            try await reader.first("SELECT \(unescaped: PostgresStore.endpointColumns) FROM webhook_endpoint WHERE id = \(id)")
                .map(PostgresStore.endpoint(from:))
        }
    }

    /// Changes an endpoint's URL, event types and whether it is enabled, returning it as updated; nil when there
    /// is no such endpoint. The endpoint is read (and locked) first, so the audit entry keeps the values that
    /// changed, before and after; a change that changes nothing records nothing.
    public func updateWebhookEndpoint(
        id: String,
        url: String,
        eventTypes: [String],
        enabled: Bool,
        by actor: AuditActor
    ) async throws -> WebhookEndpoint? {
        let types = eventTypes.joined(separator: ",")
        let timestamp = now()
        return try await write { transaction in
            guard
                let previous = try await transaction.first(
                    "SELECT \(unescaped: PostgresStore.endpointColumns) FROM webhook_endpoint WHERE id = \(id) FOR UPDATE"
                ).map(PostgresStore.endpoint(from:)),
                let updated = try await transaction.first(
                    """
                    UPDATE webhook_endpoint SET url = \(url), event_types = \(types), enabled = \(enabled) WHERE id = \(id)
                    RETURNING \(unescaped: PostgresStore.endpointColumns)
                    """
                ).map(PostgresStore.endpoint(from:))
            else { return nil }
            if let entry = AuditEntry.webhookChanged(updated, from: previous, by: actor) { transaction.record(entry, at: timestamp) }
            return updated
        }
    }

    /// Replaces the signing secret, keeping the old one as the previous secret until `previousValidUntil`; nil when
    /// there is no such endpoint. The audit entry records the secret only as rotated.
    public func rotateWebhookSecret(
        id: String,
        newSecret: String,
        previousValidUntil: Int64,
        by actor: AuditActor
    ) async throws -> WebhookEndpoint? {
        let timestamp = now()
        return try await write { transaction in
            guard
                let endpoint = try await transaction.first(
                    """
                    UPDATE webhook_endpoint SET previous_secret = secret, previous_secret_expires_at = \(previousValidUntil), secret = \(newSecret)
                    WHERE id = \(id)
                    RETURNING \(unescaped: PostgresStore.endpointColumns)
                    """
                ).map(PostgresStore.endpoint(from:))
            else { return nil }
            transaction.record(.webhookSecretRotated(endpoint, by: actor), at: timestamp)
            return endpoint
        }
    }

    /// Deletes an endpoint with its deliveries (by cascade), with an audit entry of the endpoint as it was; false
    /// when there was no such endpoint.
    public func deleteWebhookEndpoint(id: String, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await write { transaction in
            guard
                let endpoint = try await transaction.first(
                    "DELETE FROM webhook_endpoint WHERE id = \(id) RETURNING \(unescaped: PostgresStore.endpointColumns)"
                ).map(PostgresStore.endpoint(from:))
            else { return false }
            transaction.record(.webhookDeleted(endpoint, by: actor), at: timestamp)
            return true
        }
    }

    /// Copies the events after the endpoint's cursor (at most `limit`) into deliveries when the endpoint wants their
    /// type, and moves the cursor past them, in one transaction; returns how many events were looked at.
    ///
    /// A read answers the common "nothing new" without a write. The write locks the endpoint row first, so of two
    /// concurrent callers the second waits, then reads the cursor the first moved; `ON CONFLICT DO NOTHING` keeps a
    /// delivery that a redelivery already queued as it is.
    public func enqueueWebhookDeliveries(endpointID: String, limit: Int, at: Int64) async throws -> Int {
        let behind = try await read { reader in
            try await reader.first(
                "SELECT (SELECT COALESCE(MAX(sequence), 0) FROM event) > cursor FROM webhook_endpoint WHERE id = \(endpointID)"
            )?.decode(Bool.self) ?? false
        }
        guard behind else { return 0 }
        return try await write { transaction in
            guard
                let row = try await transaction.first(
                    "SELECT \(unescaped: PostgresStore.endpointColumns), cursor FROM webhook_endpoint WHERE id = \(endpointID) FOR UPDATE"
                )
            else { return 0 }
            let endpoint = try PostgresStore.endpoint(from: row)
            let cursor = try row.makeRandomAccess()[PostgresStore.endpointColumnCount].decode(Int64.self, context: .default)
            let events = try await transaction.rows(
                "SELECT sequence, id, type FROM event WHERE sequence > \(cursor) ORDER BY sequence LIMIT \(limit)"
            ).map { try $0.decode((Int64, String, String).self) }
            guard let last = events.last else { return 0 }
            let wanted = events.filter { endpoint.wants($0.2) }
            if !wanted.isEmpty {
                let sequences = wanted.map(\.0)
                let ids = wanted.map(\.1)
                let types = wanted.map(\.2)
                try await transaction.execute(
                    """
                    INSERT INTO webhook_delivery (endpoint_id, sequence, event_id, event_type, state, attempts, next_attempt_at)
                    SELECT \(endpointID), queued.sequence, queued.event_id, queued.event_type, 'pending', 0, \(at)
                    FROM unnest(\(sequences)::BIGINT[], \(ids)::TEXT[], \(types)::TEXT[]) AS queued (sequence, event_id, event_type)
                    ORDER BY queued.sequence
                    ON CONFLICT (endpoint_id, sequence) DO NOTHING
                    """
                )
            }
            try await transaction.execute("UPDATE webhook_endpoint SET cursor = \(last.0) WHERE id = \(endpointID)")
            return events.count
        }
    }

    /// The endpoint's lowest pending delivery with its event, due or not.
    public func nextWebhookDelivery(endpointID: String) async throws -> PendingWebhookDelivery? {
        try await read { reader in
            guard
                let row = try await reader.first(
                    """
                    SELECT \(unescaped: PostgresStore.deliveryColumns) FROM webhook_delivery
                    WHERE endpoint_id = \(endpointID) AND state = 'pending' ORDER BY sequence LIMIT 1
                    """
                )
            else { return nil }
            let delivery = try PostgresStore.delivery(from: row)
            let event = try await reader.first(
                "SELECT \(unescaped: PostgresStore.eventColumns) FROM event WHERE sequence = \(delivery.sequence)"
            ).map(PostgresStore.event(from:))
            return try PendingWebhookDelivery(delivery: delivery, stored: event)
        }
    }

    /// Records an attempt's outcome on the delivery row (attempts are counted by the statement, so concurrent
    /// records both count), after locking `owner`'s unexpired lease row: a replica taking the endpoint over waits for
    /// this commit, and once it has the lease, this finds none and records nothing.
    public func recordWebhookAttempt(
        endpointID: String,
        sequence: Int64,
        at: Int64,
        outcome: WebhookAttemptOutcome,
        owner: String
    ) async throws -> Bool {
        try await write { transaction in
            let lease = try await transaction.first(
                """
                SELECT 1 FROM webhook_lease WHERE endpoint_id = \(endpointID) AND owner = \(owner)
                    AND expires_at > \(unescaped: PostgresStore.databaseMilliseconds)
                FOR UPDATE
                """
            )
            guard lease != nil else { return false }
            switch outcome {
            case .delivered(let status, let response):
                try await transaction.execute(
                    """
                    UPDATE webhook_delivery SET state = 'delivered', attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, \(at)),
                        next_attempt_at = NULL, last_status = \(status), last_response = \(response), delivered_at = \(at)
                    WHERE endpoint_id = \(endpointID) AND sequence = \(sequence)
                    """
                )
            case .failed(let status, let response, let next):
                let state = next == nil ? WebhookDeliveryState.dead.rawValue : WebhookDeliveryState.pending.rawValue
                try await transaction.execute(
                    """
                    UPDATE webhook_delivery SET state = \(state), attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, \(at)),
                        next_attempt_at = \(next), last_status = \(status), last_response = \(response)
                    WHERE endpoint_id = \(endpointID) AND sequence = \(sequence)
                    """
                )
            }
            return true
        }
    }

    /// Takes or renews the lease in one upsert, measured by PostgreSQL's clock so that replicas whose clocks differ
    /// still agree on when a lease lapses. Two replicas claiming at once: the row lock orders them, and the second
    /// finds the first's unexpired lease and takes nothing.
    public func claimWebhookLease(endpointID: String, owner: String, duration: Int64) async throws -> Bool {
        try await write { transaction in
            try await transaction.first(
                """
                INSERT INTO webhook_lease (endpoint_id, owner, expires_at)
                SELECT id, \(owner), \(unescaped: PostgresStore.databaseMilliseconds) + \(duration) FROM webhook_endpoint
                WHERE id = \(endpointID) AND enabled
                ON CONFLICT (endpoint_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                WHERE webhook_lease.owner = EXCLUDED.owner OR webhook_lease.expires_at <= \(unescaped: PostgresStore.databaseMilliseconds)
                RETURNING 1
                """
            ) != nil
        }
    }

    /// Enabled endpoints without a live lease of another owner, by PostgreSQL's clock.
    public func claimableWebhookEndpoints(owner: String) async throws -> [String] {
        try await read { reader in
            try await reader.rows(
                """
                SELECT e.id FROM webhook_endpoint e LEFT JOIN webhook_lease l ON l.endpoint_id = e.id
                WHERE e.enabled AND (l.endpoint_id IS NULL OR l.owner = \(owner)
                    OR l.expires_at <= \(unescaped: PostgresStore.databaseMilliseconds))
                ORDER BY e.created_at, e.id COLLATE "C"
                """
            ).map { try $0.decode(String.self) }
        }
    }

    /// The lease row, live by PostgreSQL's clock.
    public func webhookLeaseHolder(endpointID: String) async throws -> WebhookLeaseHolder? {
        try await read { reader in
            try await reader.first(
                """
                SELECT owner, expires_at, expires_at > \(unescaped: PostgresStore.databaseMilliseconds)
                FROM webhook_lease WHERE endpoint_id = \(endpointID)
                """
            ).map { row in
                let (owner, expiresAt, isLive) = try row.decode((String, Int64, Bool).self)
                return WebhookLeaseHolder(owner: owner, expiresAt: expiresAt, isLive: isLive)
            }
        }
    }

    /// Deletes the lease row when `owner` holds it.
    public func releaseWebhookLease(endpointID: String, owner: String) async throws {
        try await write { transaction in
            try await transaction.execute("DELETE FROM webhook_lease WHERE endpoint_id = \(endpointID) AND owner = \(owner)")
        }
    }

    /// Now in milliseconds since 1970 by PostgreSQL's clock (the moment of the statement, not of the transaction).
    static let databaseMilliseconds = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"

    /// The endpoint's deliveries, newest event first, at most `limit`.
    public func webhookDeliveries(endpointID: String, limit: Int) async throws -> [WebhookDelivery] {
        try await read { reader in
            try await reader.rows(
                """
                SELECT \(unescaped: PostgresStore.deliveryColumns) FROM webhook_delivery WHERE endpoint_id = \(endpointID)
                ORDER BY sequence DESC LIMIT \(limit)
                """
            ).map(PostgresStore.delivery(from:))
        }
    }

    /// Per endpoint, how many deliveries are waiting: pending rows plus events after its cursor.
    public func webhookBacklog() async throws -> [String: Int] {
        try await read { reader in
            var backlog: [String: Int] = [:]
            for row in try await reader.rows(
                """
                SELECT e.id, (SELECT COUNT(*) FROM webhook_delivery d WHERE d.endpoint_id = e.id AND d.state = 'pending')
                    + GREATEST(0, (SELECT COALESCE(MAX(sequence), 0) FROM event) - e.cursor)
                FROM webhook_endpoint e
                """
            ) {
                let (id, waiting) = try row.decode((String, Int).self)
                backlog[id] = waiting
            }
            return backlog
        }
    }

    /// Queues an event for the endpoint again with a fresh retry window, due at `at`; false when there is no such
    /// endpoint or event. The endpoint row is locked, so it cannot be deleted between the check and the upsert. The
    /// audit entry is recorded at the store's clock, not at `at` (when the delivery is due).
    public func redeliverWebhook(endpointID: String, sequence: Int64, at: Int64, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await write { transaction in
            guard
                let endpoint = try await transaction.first(
                    "SELECT \(unescaped: PostgresStore.endpointColumns) FROM webhook_endpoint WHERE id = \(endpointID) FOR UPDATE"
                ).map(PostgresStore.endpoint(from:)),
                let event = try await transaction.first("SELECT id, type FROM event WHERE sequence = \(sequence)")
            else { return false }
            let (eventID, eventType) = try event.decode((String, String).self)
            try await transaction.execute(
                """
                INSERT INTO webhook_delivery (endpoint_id, sequence, event_id, event_type, state, attempts, next_attempt_at)
                VALUES (\(endpointID), \(sequence), \(eventID), \(eventType), 'pending', 0, \(at))
                ON CONFLICT (endpoint_id, sequence) DO UPDATE SET state = 'pending', attempts = 0, first_attempt_at = NULL,
                    next_attempt_at = EXCLUDED.next_attempt_at, delivered_at = NULL
                """
            )
            transaction.record(.webhookRedelivered(endpoint, sequence: sequence, by: actor), at: timestamp)
            return true
        }
    }

    // MARK: Rows

    /// The columns ``endpoint(from:)`` decodes, in order.
    private static let endpointColumns =
        "id, url, event_types, enabled, secret, previous_secret, previous_secret_expires_at, created_at"
    /// How many columns ``endpointColumns`` names: the index of a column selected after them.
    private static let endpointColumnCount = 8
    /// The columns ``delivery(from:)`` decodes, in order.
    private static let deliveryColumns =
        "endpoint_id, sequence, event_id, event_type, state, attempts, first_attempt_at, next_attempt_at, last_status, last_response, delivered_at"
    /// The columns ``event(from:)`` decodes, in order: select them from `event` to read outbox events.
    static let eventColumns = "sequence, id, type, directory_id, resource_id, data, previous_attributes, created_at"

    /// An endpoint from the leading ``endpointColumns`` of a row; the stored types split at commas.
    private static func endpoint(from row: PostgresRow) throws -> WebhookEndpoint {
        let (id, url, types, enabled, secret, previousSecret, previousSecretExpiresAt, createdAt) = try row.decode(
            (String, String, String, Bool, String, String?, Int64?, Int64).self
        )
        return WebhookEndpoint(
            id: id,
            url: url,
            eventTypes: types.split(separator: ",").map(String.init),
            enabled: enabled,
            secret: secret,
            previousSecret: previousSecret,
            previousSecretExpiresAt: previousSecretExpiresAt,
            createdAt: createdAt
        )
    }

    /// A delivery from ``deliveryColumns``; an unknown state reads as pending, as in the SQLite store.
    private static func delivery(from row: PostgresRow) throws -> WebhookDelivery {
        let (endpointID, sequence, eventID, eventType, state, attempts, firstAttemptAt, nextAttemptAt, lastStatus, lastResponse, deliveredAt) =
            try row.decode((String, Int64, String, String, String, Int, Int64?, Int64?, Int?, String?, Int64?).self)
        return WebhookDelivery(
            endpointID: endpointID,
            sequence: sequence,
            eventID: eventID,
            eventType: eventType,
            state: WebhookDeliveryState(rawValue: state) ?? .pending,
            attempts: attempts,
            firstAttemptAt: firstAttemptAt,
            nextAttemptAt: nextAttemptAt,
            lastStatus: lastStatus,
            lastResponse: lastResponse,
            deliveredAt: deliveredAt
        )
    }

    /// An outbox event from ``eventColumns``. As in the SQLite store, `data` that does not parse reads as null and
    /// `previous_attributes` that does not parse as absent.
    static func event(from row: PostgresRow) throws -> OutboxEvent {
        let (sequence, id, type, directoryID, resourceID, data, previous, createdAt) = try row.decode(
            (Int64, String, String, String?, String?, String, String?, Int64).self
        )
        return OutboxEvent(
            sequence: sequence,
            id: id,
            type: type,
            directoryID: directoryID,
            resourceID: resourceID,
            data: (try? JSONParser().parse(data)) ?? .null,
            previousAttributes: try? previous.map { try JSONParser().parse($0) },
            createdAt: createdAt
        )
    }
}
