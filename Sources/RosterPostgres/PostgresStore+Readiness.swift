import PostgresNIO
import RosterCore

extension PostgresStore: RosterStore, ResourceModifying, TeamStore, ConsoleStore, AdminSessionStore, WebhookStore, APIKeyStore,
    ReadAPIStore, StoreReadiness, BrowserStateStore, RequestLogStore
{
    /// Nil when PostgreSQL answers within 3 seconds and every migration is applied; otherwise why not.
    public func readinessProblem() async -> String? {
        do {
            return try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask { try await self.migrationProblem() }
                group.addTask {
                    try await Task.sleep(for: .seconds(3))
                    return "PostgreSQL at \(self.targetDescription) did not answer within 3 s"
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        } catch {
            return "\(mapped(error))"
        }
    }

    /// Nothing to flush: PostgreSQL made every commit durable when it returned.
    public func checkpoint() async throws {}

    /// Refused: a PostgreSQL database is copied with `pg_dump`, not by Roster.
    public func backup(to path: String) async throws {
        throw StoreCorruption(detail: "Roster backs up SQLite files only; back up PostgreSQL with pg_dump")
    }

    private func migrationProblem() async throws -> String? {
        let applied = try await read { reader in
            try await reader.rows("SELECT identifier FROM roster_migration").map { try $0.decode(String.self) }
        }
        let missing = PostgresMigrations.all.map(\.identifier).filter { !applied.contains($0) }
        return missing.isEmpty ? nil : "database migrations are not all applied (\(missing.count) missing)"
    }
}
