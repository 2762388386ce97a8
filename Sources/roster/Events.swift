import ArgumentParser
import Foundation
import RosterCore

extension Roster {
    /// `roster events`: the event outbox, one JSON object per line, oldest first; `--follow` keeps printing new
    /// events until SIGINT or SIGTERM.
    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print events (user, group and team changes) as one JSON object per line, oldest first.",
            discussion: """
                Each line is one event: {"id", "type", "sequence", "created_at", "directory_id", "data", \
                "previous_attributes"}. To resume where a previous run stopped, pass the last "sequence" seen as --after.
                """
        )

        /// How often `--follow` looks for new events.
        static let pollInterval: Duration = .milliseconds(500)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Print only events whose sequence is greater than this (default 0: all).", valueName: "seq"))
        var after: String?

        @Flag(help: "Keep printing new events as they are committed (checking every 500 ms) until SIGINT or SIGTERM.")
        var follow = false

        @Option(help: ArgumentHelp("Print at most this many events, then exit (with --follow too).", valueName: "n"))
        var limit: String?

        func run() async throws {
            try await CommandFailure.reporting {
                let start = try OrderedFeed.number(after, flag: "--after", minimum: 0, expected: "a sequence number, 0 or more") ?? 0
                let limit = try OrderedFeed.number(limit, flag: "--limit", minimum: 1, expected: "a positive number of events")
                try await global.withStore(environment: ProcessInfo.processInfo.environment) { store in
                    try await OrderedFeed.events(of: store, after: start, limit: limit.map(Int.init)).print(
                        following: follow,
                        every: Self.pollInterval
                    )
                }
            }
        }
    }
}
