import Foundation
import Hummingbird
import RosterCore

/// Teams and their group-name mappings: creating, renaming and deleting a team, its page of people, and adding or
/// removing a group name (which moves members in or out at once). Every POST checks the form's CSRF token first and
/// ends in a redirect with a flash message saying what happened.
struct TeamsController<Store: TeamStore & RosterStore>: Sendable {
    /// The teams, their mappings and members, and the directories' names for the team page.
    let store: Store
    /// Chrome, redirects and the team lookup.
    let support: SettingsPageSupport

    /// Adds `/teams` and `/teams/{slug}` with its `rename`, `delete`, `groups` and `groups/remove` to the settings
    /// group.
    func addRoutes(to settings: RouterGroup<AdminRequestContext>) {
        settings.post("teams", use: createTeam)
        settings.get("teams/{slug}", use: team)
        settings.post("teams/{slug}/rename", use: renameTeam)
        settings.post("teams/{slug}/delete", use: deleteTeam)
        settings.post("teams/{slug}/groups", use: addGroupName)
        settings.post("teams/{slug}/groups/remove", use: removeGroupName)
    }

    /// POST …/teams: creates a team named by the form (its slug made from the name), back on the team-mapping table.
    @Sendable func createTeam(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, session: context.session)
        let message: FlashMessage
        do {
            let team = try await store.createTeam(name: form.trimmed("name"), slug: nil, by: context.actor)
            message = FlashMessage(.success, "Team “\(team.name)” created. Add a group name to fill it from your identity provider.")
        } catch let error as TeamError {
            message = FlashMessage(.error, "No team was created: \(error.description).")
        }
        return try await support.redirect(to: SettingsPaths.root + "#team-mapping", message, context: context)
    }

    /// GET …/teams/{slug}: the team's people, each user of theirs with its directory, status and sources.
    @Sendable func team(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let team = try await support.team(context, in: store)
        let people = TeamPerson.grouping(try await store.teamMembers(team.id))
        let names = try await store.mappings(team: team.id).map(\.groupName)
        let directoryNames = Dictionary(try await store.directories().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let active = people.filter { $0.membership == .active }.count
        var countText = DisplayText.count(active, "member")
        if people.count > active { countText += ", \(people.count - active) suspended" }
        let page = TeamPage(
            chrome: try await support.chrome(context),
            path: SettingsPaths.team(team.slug),
            name: team.name,
            memberCountText: countText,
            groupNamesText: names.isEmpty ? "none" : names.joined(separator: ", "),
            hasMembers: !people.isEmpty,
            people: people.map { person in
                TeamPage.PersonRows(
                    label: person.email ?? person.members.first?.userName ?? "",
                    membership: person.membership.rawValue,
                    count: person.members.count,
                    members: person.members.enumerated().map { index, member in
                        TeamPage.MemberRow(
                            first: index == 0,
                            path: SettingsPaths.user(directoryID: member.directoryID, userID: member.userID),
                            userName: member.userName,
                            directoryName: directoryNames[member.directoryID] ?? member.directoryID,
                            status: member.membership.rawValue,
                            sources: DisplayText.sources(member.sources)
                        )
                    }
                )
            }
        )
        return support.pages.page("team", page)
    }

    /// POST …/teams/{slug}/rename: gives the team the form's `name` (its slug stays).
    @Sendable func renameTeam(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, session: context.session)
        let team = try await support.team(context, in: store)
        let message: FlashMessage
        do {
            let renamed = try await store.renameTeam(team.id, to: form.trimmed("name"), by: context.actor)
            message = FlashMessage(.success, "Team “\(team.name)” is now called “\(renamed.name)”.")
        } catch let error as TeamError {
            message = FlashMessage(.error, "The team was not renamed: \(error.description).")
        }
        return try await support.redirect(to: SettingsPaths.team(team.slug), message, context: context)
    }

    /// POST …/teams/{slug}/delete: deletes the team with its mappings and memberships.
    @Sendable func deleteTeam(_ request: Request, context: AdminRequestContext) async throws -> Response {
        _ = try await SubmittedForm.read(request, session: context.session)
        let team = try await support.team(context, in: store)
        try await store.deleteTeam(team.id, by: context.actor)
        return try await support.redirect(
            to: SettingsPaths.root + "#team-mapping",
            FlashMessage(.success, "Team “\(team.name)” was deleted."),
            context: context
        )
    }

    /// POST …/teams/{slug}/groups: "Add group name", saying what it did.
    @Sendable func addGroupName(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, session: context.session)
        let team = try await support.team(context, in: store)
        let groupName = form.trimmed("groupName")
        let message: FlashMessage
        if groupName.isEmpty {
            message = FlashMessage(.error, "Type a group name, spelt exactly as your identity provider shows it.")
        } else {
            do {
                let outcome = try await store.map(team: team.id, groupName: groupName, directoryID: nil, by: context.actor)
                message = Self.mappingMessage(outcome, team: team)
            } catch let error as TeamError {
                message = FlashMessage(.error, "The group name was not added: \(error.description).")
            }
        }
        return try await support.redirect(to: SettingsPaths.root + "#team-mapping", message, context: context)
    }

    /// POST …/teams/{slug}/groups/remove: removes a group name; the members it alone held leave.
    @Sendable func removeGroupName(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, session: context.session)
        let team = try await support.team(context, in: store)
        let groupName = form["groupName"] ?? ""
        let message: FlashMessage
        do {
            try await store.unmap(team: team.id, groupName: groupName, directoryID: nil, by: context.actor)
            message = FlashMessage(.success, "“\(groupName)” no longer feeds \(team.name); members no other group keeps there left the team.")
        } catch let error as TeamError {
            message = FlashMessage(.error, "Nothing was removed: \(error.description).")
        }
        return try await support.redirect(to: SettingsPaths.root + "#team-mapping", message, context: context)
    }

    /// What adding a group name did, in words: who joined, or why no one did.
    static func mappingMessage(_ outcome: TeamMappingOutcome, team: Team) -> FlashMessage {
        let name = outcome.mapping.groupName
        if outcome.alreadyMapped {
            return FlashMessage(.warning, "Group name already added: “\(name)” already feeds \(team.name).")
        }
        if outcome.matchedGroups == 0 {
            if let suggestion = outcome.namesDifferingInCase.first {
                return FlashMessage(
                    .warning,
                    "Did you mean “\(suggestion)”? (case differs) Group names match exactly, so “\(name)” was added to \(team.name) but feeds no one until a group of exactly that name is pushed."
                )
            }
            return FlashMessage(
                .warning,
                "No group named “\(name)” has been pushed yet. The name was added to \(team.name): its members join when your identity provider pushes a group of exactly that name."
            )
        }
        if outcome.membersJoined == 0 {
            return FlashMessage(
                .success,
                "“\(name)” now feeds \(team.name). No one new joined: its active members were already in the team, or it has none yet."
            )
        }
        return FlashMessage(.success, "\(DisplayText.count(outcome.membersJoined, "member")) of \(name) joined \(team.name).")
    }
}
