import Foundation
import Hummingbird
import RosterCore

extension SettingsController {
    /// GET …/directories/{id}/users?q=…&page=…: the directory's users, searchable and paginated.
    @Sendable func users(_ request: Request, context: AppRequestContext) async throws -> Response {
        let directory = try await requireDirectory(context)
        let query = (QueryString(request.uri.query).value(named: "q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let number = Self.pageNumber(request)
        let result = try await store.userSummaries(
            directoryID: directory.id,
            search: query,
            offset: (number - 1) * Self.pageSize,
            limit: Self.pageSize
        )
        let directoryPath = SettingsPaths.directory(directory.id)
        let page = UsersPage(
            chrome: try await chrome(context),
            directoryName: directory.name,
            directoryPath: directoryPath,
            query: query,
            totalText: Self.totalText(result.total, noun: "user", query: query),
            users: result.items.map { user in
                UsersPage.Row(
                    path: SettingsPaths.user(directoryID: directory.id, userID: user.id),
                    userName: user.userName,
                    name: user.name,
                    email: user.email,
                    status: user.active ? "active" : "deactivated",
                    teams: user.teams.joined(separator: ", ")
                )
            },
            pagination: Pagination.make(page: number, total: result.total, pageSize: Self.pageSize, path: directoryPath + "/users", query: query)
        )
        return pages.page("users", page)
    }

    /// GET …/directories/{id}/users/{userID}: a user's groups and teams, and where each membership comes from.
    @Sendable func user(_ request: Request, context: AppRequestContext) async throws -> Response {
        let directory = try await requireDirectory(context)
        let userID = try context.parameters.require("userID")
        guard let detail = try await store.userDetail(directoryID: directory.id, userID: userID) else {
            throw SettingsPageError.notFound("This user")
        }
        let page = UserPage(
            chrome: try await chrome(context),
            directoryName: directory.name,
            directoryPath: SettingsPaths.directory(directory.id),
            id: detail.summary.id,
            userName: detail.summary.userName,
            name: detail.summary.name,
            email: detail.summary.email,
            status: detail.summary.active ? "active" : "deactivated",
            inactive: !detail.summary.active,
            hasTeams: !detail.teams.isEmpty,
            teams: detail.teams.map {
                UserPage.TeamRow(
                    path: SettingsPaths.team($0.team.slug),
                    name: $0.team.name,
                    sources: Self.sourcesText($0.sources),
                    membership: TeamMembershipStatus(userActive: detail.summary.active).rawValue
                )
            },
            hasGroups: !detail.groups.isEmpty,
            groups: detail.groups.map { UserPage.GroupRow(displayName: $0.displayName) }
        )
        return pages.page("user", page)
    }

    /// GET …/directories/{id}/groups?q=…&page=…: the directory's groups with member counts and mapped teams.
    @Sendable func groups(_ request: Request, context: AppRequestContext) async throws -> Response {
        let directory = try await requireDirectory(context)
        let query = (QueryString(request.uri.query).value(named: "q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let number = Self.pageNumber(request)
        let result = try await store.groupSummaries(
            directoryID: directory.id,
            search: query,
            offset: (number - 1) * Self.pageSize,
            limit: Self.pageSize
        )
        let directoryPath = SettingsPaths.directory(directory.id)
        let page = GroupsPage(
            chrome: try await chrome(context),
            directoryName: directory.name,
            directoryPath: directoryPath,
            query: query,
            totalText: Self.totalText(result.total, noun: "group", query: query),
            groups: result.items.map {
                GroupsPage.Row(displayName: $0.displayName, memberCount: $0.memberCount, teams: $0.teams.joined(separator: ", "))
            },
            pagination: Pagination.make(page: number, total: result.total, pageSize: Self.pageSize, path: directoryPath + "/groups", query: query)
        )
        return pages.page("groups", page)
    }

    // MARK: Wording

    /// `3 users`, or `1 user matches “ali”`.
    static func totalText(_ total: Int, noun: String, query: String) -> String {
        let counted = DisplayText.count(total, noun)
        guard !query.isEmpty else { return counted }
        return counted + (total == 1 ? " matches" : " match") + " “\(query)”"
    }

    /// `group Engineering, added by hand`.
    static func sourcesText(_ sources: [TeamMembershipSource]) -> String {
        sources.map { source in
            switch source {
            case .manual: "added by hand"
            case .group(_, let displayName): "group \(displayName)"
            }
        }.joined(separator: ", ")
    }
}
