import RosterCore
import RosterSQLite
import RosterTestSupport

/// Everything a settings form or an API call can change, read from the store as comparable lines: directories with
/// their token hashes and counts, teams with their mappings and members, webhook endpoints with their secrets and
/// deliveries, API keys, and the number of events. Two equal snapshots mean nothing observable changed.
struct StoreSnapshot: Equatable, Sendable, CustomStringConvertible {
    /// One line per fact.
    var lines: [String]

    /// The lines, one a line.
    var description: String { lines.joined(separator: "\n") }

    /// Reads the snapshot.
    static func read(_ store: SQLiteStore) async throws -> StoreSnapshot {
        var lines: [String] = []
        for directory in try await store.directories() {
            let hash = try await store.tokenHash(directoryID: directory.id) ?? []
            let status = try await store.directoryStatus(directoryID: directory.id)
            lines.append("directory \(directory) token \(hash) status \(status)")
        }
        for team in try await store.teams() {
            lines.append("team \(team)")
            for member in try await store.teamMembers(team.id) { lines.append("  member \(member)") }
        }
        for mapping in try await store.mappings(team: nil) { lines.append("mapping \(mapping)") }
        for endpoint in try await store.webhookEndpoints() {
            lines.append("webhook \(endpoint)")
            for delivery in try await store.webhookDeliveries(endpointID: endpoint.id, limit: 10_000) { lines.append("  delivery \(delivery)") }
        }
        for key in try await store.apiKeys() {
            lines.append("api key \(key.id) \(key.name) \(key.prefix) revoked \(String(describing: key.revokedAt))")
        }
        lines.append("events \(try await store.events(after: 0, limit: 1_000_000).count)")
        return StoreSnapshot(lines: lines)
    }
}
