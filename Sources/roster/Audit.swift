import ArgumentParser
import Foundation
import RosterCore

extension Roster {
    /// `roster audit`: the audit trail of admin actions, oldest first, one line per entry (text, or JSON with
    /// `--json`); `--follow` keeps printing new entries until SIGINT or SIGTERM.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the audit trail: who signed in and who changed directories, teams, webhooks and API keys, oldest first.",
            discussion: """
                Each line is one entry: its id, time, actor (an admin's email, cli with the operating-system user, or an \
                API key's name, and the client's address), action, target and the values it changed; tokens, keys and \
                secrets appear only as "issued" or "rotated". With --json each line is one object, as the read API gives it: \
                {"action", "actor", "actor_detail", "actor_kind", "address", "after", "at", "before", "id", "target": \
                {"id", "kind", "name"}}. \
                To resume where a previous run stopped, pass the last "id" seen as --after.
                """
        )

        /// How `audit` names its entries and their order.
        enum Words: FeedWords {
            static let items = "entries"
            static let position = "id"
            static let positionValueName = "id"
            static let positionExpected = "an audit entry id, 0 or more"
            static let arrival = "recorded"
        }

        @OptionGroup var feed: FeedOptions<Words>

        @Flag(help: "Print each entry as one JSON object on its own line.")
        var json = false

        @Option(help: ArgumentHelp("Only entries by this actor: an admin's email, cli, or an API key's name (exactly).", valueName: "name"))
        var actor: String?

        @Option(help: ArgumentHelp("Only entries of this action, such as team.renamed or directory.token_rotated.", valueName: "action"))
        var action: String?

        @Option(
            name: .customLong("target-kind"),
            help: ArgumentHelp("Only entries whose target is of this kind: directory, team, webhook, api_key or session.", valueName: "kind")
        )
        var targetKind: String?

        @Option(help: ArgumentHelp("Only entries whose target has this id or this name (exactly).", valueName: "id-or-name"))
        var target: String?

        func run() async throws {
            try await feed.print(checking: query()) { store, after, limit, filter in
                OrderedFeed.audit(of: store, filter: filter, after: after, limit: limit, json: json)
            }
        }

        /// The filters as a query (its cursor and limit are the feed's); a blank filter or an unknown action fails
        /// with exit code 2.
        private func query() throws(CommandFailure) -> AuditQuery {
            var query = AuditQuery()
            query.actor = try Self.filter(actor, flag: "--actor")
            query.targetKind = try Self.filter(targetKind, flag: "--target-kind")
            query.target = try Self.filter(target, flag: "--target")
            if let name = try Self.filter(action, flag: "--action") {
                let action = AuditAction(rawValue: name)
                guard AuditAction.all.contains(action) else {
                    let known = AuditAction.all.map(\.rawValue).sorted().joined(separator: ", ")
                    throw .configuration("--action must be one of \(known); not \"\(name.replacingNewlines())\"")
                }
                query.action = action
            }
            return query
        }

        /// A filter's value without surrounding whitespace, or nil when not given; a blank one fails with exit code 2.
        private static func filter(_ text: String?, flag: String) throws(CommandFailure) -> String? {
            guard let text else { return nil }
            let value = text.trimmed()
            guard !value.isEmpty else { throw .configuration("\(flag) must not be blank") }
            return value
        }
    }
}
