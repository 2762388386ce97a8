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

        @OptionGroup var team: TeamOptions

        @Flag(
            help: """
                Print one JSON array of people {"email", "membership", "users": [{"user_id", "user_name", "directory_id", \
                "membership", "sources": [{"type": "group", "group_id", "group_name"} or {"type": "manual"}]}]}.
                """
        )
        var json = false

        func run() async throws {
            try await team.runOnStore { store, team in
                let listing = TeamMemberListing(team: team, members: try await store.teamMembers(team.id))
                Console.out(json ? try listing.json() : listing.table())
            }
        }
    }
}
