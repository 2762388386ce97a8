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

        /// How `events` names its items and their order.
        enum Words: FeedWords {
            static let items = "events"
            static let position = "sequence"
            static let positionValueName = "seq"
            static let positionExpected = "a sequence number, 0 or more"
            static let arrival = "committed"
        }

        @OptionGroup var feed: FeedOptions<Words>

        func run() async throws {
            try await feed.print { store, after, limit in OrderedFeed.events(of: store, after: after, limit: limit) }
        }
    }
}
