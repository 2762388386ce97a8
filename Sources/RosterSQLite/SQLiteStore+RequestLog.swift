import GRDB
import RosterCore

extension SQLiteStore: RequestLogStore {
    /// Appends a batch in one commit and drops all but the newest `keepNewest` rows.
    public func appendRequestLog(_ entries: [RequestLogEntry], keepNewest: Int) async throws {
        guard !entries.isEmpty else { return }
        try await commits.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO scim_request_log (at, directory_id, method, path, status, duration_ms, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for entry in entries {
                try insert.execute(arguments: [
                    entry.at, entry.directoryID, entry.method, entry.path, entry.status, entry.durationMilliseconds, entry.detail,
                ])
            }
            try db.execute(
                sql: """
                    DELETE FROM scim_request_log
                    WHERE id < (SELECT id FROM scim_request_log ORDER BY id DESC LIMIT 1 OFFSET ?)
                    """,
                arguments: [max(keepNewest, 1) - 1]
            )
        }
    }

    /// A directory's newest requests, from its index.
    public func requestLog(directoryID: String, limit: Int) async throws -> [RequestLogEntry] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT at, directory_id, method, path, status, duration_ms, detail FROM scim_request_log
                    WHERE directory_id = ? ORDER BY id DESC LIMIT ?
                    """,
                arguments: [directoryID, limit]
            ).map { row in
                RequestLogEntry(
                    at: row[0],
                    directoryID: row[1],
                    method: row[2],
                    path: row[3],
                    status: row[4],
                    durationMilliseconds: row[5],
                    detail: row[6]
                )
            }
        }
    }
}
