import Foundation
import Hummingbird
import RosterCore

/// A directory's people pages: its users and groups, searchable and paginated, and one user's groups and teams with
/// where each team membership comes from. Read-only: no forms.
struct PeopleController<Store: RosterStore & ConsoleStore>: Sendable {
    /// The directory lookup, and the users and groups of the console's queries.
    let store: Store
    /// Chrome and the directory lookup.
    let support: SettingsPageSupport

    /// Adds `/directories/{directoryID}/users`, `…/users/{userID}` and `…/groups` to the settings group.
    func addRoutes(to settings: RouterGroup<AdminRequestContext>) {
        settings.get("directories/{directoryID}/users", use: users)
        settings.get("directories/{directoryID}/users/{userID}", use: user)
        settings.get("directories/{directoryID}/groups", use: groups)
    }

    /// GET …/directories/{id}/users?q=…&page=…: the directory's users, searchable and paginated.
    @Sendable func users(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let read = store.userSummaries(directoryID:search:offset:limit:)
        return try await listPage("users", noun: "user", request, context: context, read: read) { user, directory in
            UserListRow(
                path: SettingsPaths.user(directoryID: directory.id, userID: user.id),
                userName: user.userName,
                name: user.name,
                email: user.email,
                status: user.active ? "active" : "deactivated",
                teams: user.teams.joined(separator: ", ")
            )
        }
    }

    /// GET …/directories/{id}/users/{userID}: a user's groups and teams, and where each membership comes from.
    @Sendable func user(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let directory = try await support.directory(context, in: store)
        let userID = try context.parameters.require("userID")
        guard let detail = try await store.userDetail(directoryID: directory.id, userID: userID) else {
            throw SettingsPageError.notFound("This user")
        }
        let page = UserPage(
            chrome: try await support.chrome(context),
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
                    sources: DisplayText.sources($0.sources),
                    membership: TeamMembershipStatus(userActive: detail.summary.active).rawValue
                )
            },
            hasGroups: !detail.groups.isEmpty,
            groups: detail.groups.map { UserPage.GroupRow(displayName: $0.displayName) }
        )
        return support.pages.page("user", page)
    }

    /// GET …/directories/{id}/groups?q=…&page=…: the directory's groups with member counts and mapped teams.
    @Sendable func groups(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let read = store.groupSummaries(directoryID:search:offset:limit:)
        return try await listPage("groups", noun: "group", request, context: context, read: read) { group, _ in
            GroupListRow(displayName: group.displayName, memberCount: group.memberCount, teams: group.teams.joined(separator: ", "))
        }
    }

    // MARK: Lists

    /// The `list` template (`users`, `groups`) with the page of the list `read` reads that the request asks for: the
    /// directory named in the path (404 page when there is none), the search text `q` and the page number `page`;
    /// `noun` counts the rows, `row` makes each one.
    private func listPage<Item: Sendable & Hashable, Row>(
        _ list: String,
        noun: String,
        _ request: Request,
        context: AdminRequestContext,
        read: (_ directoryID: String, _ search: String?, _ offset: Int, _ limit: Int) async throws -> SummaryPage<Item>,
        row: (Item, Directory) -> Row
    ) async throws -> Response {
        let directory = try await support.directory(context, in: store)
        let query = QueryString(request.uri.query)
        let listing = Listing(
            directory: directory,
            query: (query.value(named: "q") ?? "").trimmed(),
            number: max(1, Int(query.value(named: "page") ?? "") ?? 1)
        )
        let result = try await read(directory.id, listing.query, listing.offset, SettingsPageSupport.pageSize)
        let page = DirectoryListPage(
            chrome: try await support.chrome(context),
            directoryName: directory.name,
            directoryPath: listing.directoryPath,
            query: listing.query,
            totalText: listing.totalText(result.total, noun: noun),
            rows: result.items.map { row($0, directory) },
            pagination: listing.pagination(total: result.total, list: "/" + list)
        )
        return support.pages.page(list, page)
    }
}

/// A request for one page of a directory's users or groups: which directory, the search text, which page.
private struct Listing {
    /// The directory listed.
    let directory: Directory
    /// The search text, trimmed; empty lists everything.
    let query: String
    /// The 1-based page number.
    let number: Int

    /// The directory's page, which the list links back to.
    var directoryPath: String { SettingsPaths.directory(directory.id) }
    /// How many rows the pages before this one hold.
    var offset: Int { (number - 1) * SettingsPageSupport.pageSize }

    /// `3 users`, or `1 user matches “ali”`.
    func totalText(_ total: Int, noun: String) -> String {
        let counted = DisplayText.count(total, noun)
        guard !query.isEmpty else { return counted }
        return counted + (total == 1 ? " matches" : " match") + " “\(query)”"
    }

    /// The links to the other pages of `total` rows of the list at `list` (`/users`, `/groups`) under the directory's
    /// page; nil when they fit on one page.
    func pagination(total: Int, list: String) -> Pagination? {
        Pagination.make(page: number, total: total, pageSize: SettingsPageSupport.pageSize, path: directoryPath + list, query: query)
    }
}
