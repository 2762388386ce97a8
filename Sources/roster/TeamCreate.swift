import ArgumentParser
import Foundation
import RosterCore

extension Roster.TeamCommands {
    /// `roster team create NAME`: makes a team; its slug is made from the name unless `--slug` gives one.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a team.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The team's name, shown to people.")
        var name: String

        @Option(help: ArgumentHelp("The team's unique URL-safe name (default: made from NAME).", valueName: "slug"))
        var slug: String?

        @Flag(help: "Print one JSON object: {\"id\", \"name\", \"slug\"}.")
        var json = false

        func run() async throws {
            try await global.runOnStore(checking: checkedNameAndSlug()) { store, checked in
                let wantedSlug = checked.slug ?? Team.slug(from: checked.name)
                // A slug equal to another team's id would make TEAM arguments ambiguous.
                if let taken = try await store.teams().first(where: { $0.slug == wantedSlug || $0.id == wantedSlug }) {
                    throw CommandFailure.failed("the slug \"\(wantedSlug)\" is taken by the team \(taken.shown); choose another with --slug")
                }
                let team = try await store.createTeam(name: checked.name, slug: checked.slug, by: .commandLineUser())
                Console.out(json ? try JSONOutput.line(Payload(id: team.id, name: team.name, slug: team.slug)) : text(team))
            }
        }

        /// NAME and `--slug` as they will be stored (the slug nil when it is to be made from the name); a bad one fails
        /// with exit code 2.
        private func checkedNameAndSlug() throws(CommandFailure) -> (name: String, slug: String?) {
            (try TeamArguments.name(name), try slug.map(TeamArguments.slug))
        }

        private func text(_ team: Team) -> String {
            """
            Created team "\(team.name)", slug \(team.slug), id \(team.id).

            Map an identity provider group to it with: roster team map \(team.slug) "GROUP NAME"
            """
        }

        private struct Payload: Encodable {
            var id: String
            var name: String
            var slug: String
        }
    }
}
