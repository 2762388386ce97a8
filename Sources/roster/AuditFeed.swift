import RosterCore

/// Reads the audit trail oldest first, by id, and prints each entry as one line (JSON or text).
struct AuditFeed: Sendable {
    /// The store, whichever the back end.
    var store: any RosterStorage
    /// The filters (actor, action, target kind, target); its cursor and limit are set by the feed as it reads.
    var filter: AuditQuery
    /// The id after which to start (0: from the first entry).
    var after: Int64
    /// How many entries to print at most, or nil for no limit.
    var limit: Int?
    /// Whether each entry is printed as one JSON object rather than as text.
    var json: Bool

    /// Prints every entry recorded so far, then returns.
    func printAvailable() async throws {
        var position = Position(after: after, remaining: limit)
        try await drain(&position)
    }

    /// Prints every entry recorded so far, then new ones as they come, checking every `interval`, until the task is
    /// cancelled (by throwing `CancellationError`) or `limit` entries have been printed.
    func follow(every interval: Duration) async throws {
        var position = Position(after: after, remaining: limit)
        while true {
            try await drain(&position)
            if position.remaining == 0 { return }
            try await Task.sleep(for: interval)
        }
    }

    /// Where the feed is: the last id printed and how many entries may still be printed.
    private struct Position {
        var after: Int64
        var remaining: Int?
    }

    /// Prints entries after `position` until none are left or the limit is reached.
    private func drain(_ position: inout Position) async throws {
        while position.remaining != 0 {
            try Task.checkCancellation()
            var query = filter
            query.cursor = .after(position.after)
            query.limit = min(position.remaining ?? Int.max, Roster.Audit.batchSize)
            let batch = try await store.auditEntries(query)
            for recorded in batch {
                let line = AuditLine(recorded: recorded)
                Console.out(json ? line.json() : line.text())
                position.after = max(position.after, recorded.id)
            }
            position.remaining = position.remaining.map { $0 - batch.count }
            if batch.count < query.limit { return }
        }
    }
}
