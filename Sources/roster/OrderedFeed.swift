import RosterCore

/// Prints an ordered feed (the event outbox, the audit trail) one line per item from a position on: what is there
/// now, or that and then new items as they come until SIGINT or SIGTERM. Each read returns items after a position,
/// oldest first, each with its own position; the feed moves past every item it printed.
struct OrderedFeed: Sendable {
    /// One printed item: its position in the feed and its line.
    typealias Item = (position: Int64, line: String)
    /// Reads at most `limit` items after `position`, oldest first.
    typealias Read = @Sendable (_ position: Int64, _ limit: Int) async throws -> [Item]

    /// How the feed is read.
    var read: Read
    /// The position after which to start.
    var after: Int64
    /// How many items to print at most, or nil for no limit.
    var limit: Int?
    /// How many items one read fetches at most.
    var batchSize: Int = 500

    /// How often `--follow` looks for new items.
    static let pollInterval: Duration = .milliseconds(500)

    /// Prints what is there; with `following`, then new items, checking every `interval`, until SIGINT or SIGTERM
    /// (a clean stop: every item read so far has been printed whole) or until `limit` items have been printed.
    func print(following: Bool, every interval: Duration) async throws {
        guard following else {
            try await printAvailable()
            return
        }
        let printer = Task { try await follow(every: interval) }
        let watch = SignalWatch { printer.cancel() }
        defer { watch.stop() }
        do {
            try await printer.value
        } catch {
            guard printer.isCancelled else { throw error }
        }
    }

    /// Prints every item there is now, then returns.
    func printAvailable() async throws {
        var position = Position(after: after, remaining: limit)
        try await drain(&position)
    }

    /// Prints every item there is now, then new ones as they come, checking every `interval`, until the task is
    /// cancelled (by throwing `CancellationError`) or `limit` items have been printed.
    func follow(every interval: Duration) async throws {
        var position = Position(after: after, remaining: limit)
        while true {
            try await drain(&position)
            if position.remaining == 0 { return }
            try await Task.sleep(for: interval)
        }
    }

    /// Where the feed is: the last position printed and how many items may still be printed.
    private struct Position {
        var after: Int64
        var remaining: Int?
    }

    /// Prints items after `position` until none are left or the limit is reached.
    private func drain(_ position: inout Position) async throws {
        while position.remaining != 0 {
            try Task.checkCancellation()
            let wanted = min(position.remaining ?? Int.max, batchSize)
            let batch = try await read(position.after, wanted)
            for item in batch {
                Console.out(item.line)
                position.after = max(position.after, item.position)
            }
            position.remaining = position.remaining.map { $0 - batch.count }
            if batch.count < wanted { return }
        }
    }
}

extension OrderedFeed {
    /// The event outbox in sequence order, each event as one compact JSON line.
    static func events(of store: any RosterStorage, after: Int64, limit: Int?) -> OrderedFeed {
        OrderedFeed(
            read: { position, count in
                try await store.events(after: position, limit: count).map { ($0.sequence, $0.document.serialized()) }
            },
            after: after,
            limit: limit
        )
    }

    /// The audit trail entries matching `filter`, oldest first, each as one line of JSON or of text.
    static func audit(of store: any RosterStorage, filter: AuditQuery, after: Int64, limit: Int?, json: Bool) -> OrderedFeed {
        OrderedFeed(
            read: { position, count in
                var query = filter
                query.cursor = .after(position)
                query.limit = count
                return try await store.auditEntries(query).map { recorded in
                    let line = AuditLine(recorded: recorded)
                    return (recorded.id, json ? line.json() : line.text())
                }
            },
            after: after,
            limit: limit
        )
    }

    /// Parses a whole-number option of a feed command (`--after`, `--limit`); an unusable value fails with exit
    /// code 2.
    static func number(_ text: String?, flag: String, minimum: Int64, expected: String) throws(CommandFailure) -> Int64? {
        guard let text else { return nil }
        guard let number = Int64(text.trimmed()), number >= minimum else {
            throw .configuration("\(flag) must be \(expected), not \"\(text.replacingNewlines())\"")
        }
        return number
    }
}
