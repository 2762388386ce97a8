import PostgresNIO
import RosterCore

/// The SCIM request log (``RequestLogStore``) in PostgreSQL: every replica appends its batches to one table.
extension PostgresStore {
    /// Appends a batch in one statement (arrays unnested), then drops all but the newest `keepNewest` rows.
    public func appendRequestLog(_ entries: [RequestLogEntry], keepNewest: Int) async throws {
        guard !entries.isEmpty else { return }
        try await write { transaction in
            try await transaction.execute(
                """
                INSERT INTO scim_request_log (at, directory_id, method, path, status, duration_ms, detail)
                SELECT e.at, e.directory_id, e.method, e.path, e.status, e.duration_ms, CASE WHEN e.has_detail THEN e.detail END
                FROM unnest(\(entries.map(\.at)), \(entries.map(\.directoryID)), \(entries.map(\.method)), \(entries.map(\.path)),
                    \(entries.map { Int64($0.status) }), \(entries.map(\.durationMilliseconds)), \(entries.map { $0.detail ?? "" }),
                    \(entries.map { $0.detail != nil }))
                    WITH ORDINALITY AS e(at, directory_id, method, path, status, duration_ms, detail, has_detail, position)
                ORDER BY e.position
                """
            )
            try await transaction.execute(
                """
                DELETE FROM scim_request_log
                WHERE id < (SELECT id FROM scim_request_log ORDER BY id DESC LIMIT 1 OFFSET \(max(keepNewest, 1) - 1))
                """
            )
        }
    }

    /// A directory's newest requests, from its index.
    public func requestLog(directoryID: String, limit: Int) async throws -> [RequestLogEntry] {
        try await read { reader in
            try await reader.rows(
                """
                SELECT at, directory_id, method, path, status, duration_ms, detail FROM scim_request_log
                WHERE directory_id = \(directoryID) ORDER BY id DESC LIMIT \(limit)
                """
            ).map { row in
                let (at, directoryID, method, path, status, duration, detail) = try row.decode(
                    (Int64, String, String, String, Int64, Double, String?).self
                )
                return RequestLogEntry(
                    at: at,
                    directoryID: directoryID,
                    method: method,
                    path: path,
                    status: Int(status),
                    durationMilliseconds: duration,
                    detail: detail
                )
            }
        }
    }
}
