import RosterCore

/// Reads the event outbox in sequence order and prints each event as one compact JSON line.
struct EventFeed: Sendable {
    /// The store, whichever the back end.
    var store: any RosterStorage
    /// The sequence after which to start.
    var after: Int64
    /// How many events to print at most, or nil for no limit.
    var limit: Int?

    /// Prints every event committed so far, then returns.
    func printAvailable() async throws {
        var position = Position(after: after, remaining: limit)
        try await drain(&position)
    }

    /// Prints every event committed so far, then new ones as they come, checking every `interval`, until the task is
    /// cancelled (by throwing `CancellationError`) or `limit` events have been printed.
    func follow(every interval: Duration) async throws {
        var position = Position(after: after, remaining: limit)
        while true {
            try await drain(&position)
            if position.remaining == 0 { return }
            try await Task.sleep(for: interval)
        }
    }

    /// Where the feed is: the last sequence printed and how many events may still be printed.
    private struct Position {
        var after: Int64
        var remaining: Int?
    }

    /// Prints events after `position` until none are left or the limit is reached.
    private func drain(_ position: inout Position) async throws {
        while position.remaining != 0 {
            try Task.checkCancellation()
            let batch = try await store.events(after: position.after, limit: min(position.remaining ?? Int.max, Roster.Events.batchSize))
            for event in batch {
                Console.out(event.document.serialized())
                position.after = event.sequence
            }
            position.remaining = position.remaining.map { $0 - batch.count }
            if batch.count < Roster.Events.batchSize { return }
        }
    }
}
