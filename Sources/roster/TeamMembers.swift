import ArgumentParser
import Foundation
import RosterCore

extension Roster.TeamCommands {
    /// `roster team members TEAM`: the team's members with what holds each of them there.
    struct Members: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List a team's people (the users of one email across directories are one person): active or suspended (deactivated in the identity provider), and their sources."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The team's id, slug or name (see `roster team list`).")
        var team: String

        @Flag(
            help: """
                Print one JSON array of people {"email", "membership", "users": [{"user_id", "user_name", "directory_id", \
                "membership", "sources": [{"type": "group", "group_id", "group_name"} or {"type": "manual"}]}]}.
                """
        )
        var json = false

        func run() async throws {
            try await CommandFailure.reporting {
                try await global.withStore(environment: ProcessInfo.processInfo.environment) { store in
                    let team = try await store.existingTeam(team)
                    let listing = TeamMemberListing(team: team, members: try await store.teamMembers(team.id))
                    Console.out(json ? try listing.json() : listing.table())
                }
            }
        }
    }
}
