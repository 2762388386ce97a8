import Foundation
import Hummingbird
import RosterCore

/// The Directory sync page and each directory's pages: the overview (directories and the team-mapping table),
/// configuring a directory, its SCIM credentials and status, token regeneration, deletion, and its request log.
/// Every POST checks the form's CSRF token first and ends in a redirect with a flash message.
struct DirectoriesController<Store: RosterStore & ConsoleStore>: Sendable {
    /// The directories, their counts and warnings, and the team overview.
    let store: Store
    /// Recent SCIM requests, for each directory's last request and its request log page.
    let requestLog: RequestLog
    /// Roster's public URL, from which a directory's SCIM Base URL is made.
    let baseURL: String
    /// Chrome, redirects, revealed tokens and the directory lookup.
    let support: SettingsPageSupport

    /// Adds `/`, `/new`, `/directories` and `/directories/{directoryID}` with its `token`, `delete` and `requests`
    /// to the settings group.
    func addRoutes(to settings: RouterGroup<AdminRequestContext>) {
        settings.get(use: overview)
        settings.get("new", use: newDirectory)
        settings.post("directories", use: createDirectory)
        settings.get("directories/{directoryID}", use: showDirectory)
        settings.post("directories/{directoryID}/token", use: regenerateToken)
        settings.post("directories/{directoryID}/delete", use: deleteDirectory)
        settings.get("directories/{directoryID}/requests", use: requestLogPage)
    }

    /// GET /settings/organization/dsync: the directories and the team-mapping table.
    @Sendable func overview(_ request: Request, context: AdminRequestContext) async throws -> Response {
        var directories: [OverviewPage.DirectoryRow] = []
        for directory in try await store.directories() {
            let status = try await store.directoryStatus(directoryID: directory.id)
            directories.append(
                OverviewPage.DirectoryRow(
                    path: SettingsPaths.directory(directory.id),
                    name: directory.name,
                    provider: directory.provider.displayName,
                    activeUsers: status.activeUsers,
                    inactiveUsers: status.inactiveUsers,
                    groups: status.groups,
                    lastRequest: try await lastRequestText(directoryID: directory.id)
                )
            )
        }
        let teams = try await store.teamOverviews().map { overview in
            let path = SettingsPaths.team(overview.team.slug)
            return OverviewPage.TeamRow(
                slug: overview.team.slug,
                name: overview.team.name,
                path: path,
                memberCountText: DisplayText.count(overview.memberCount, "member")
                    + (overview.suspendedCount > 0 ? ", \(overview.suspendedCount) suspended" : ""),
                groupNames: overview.groupNames.map {
                    OverviewPage.GroupNameChip(groupName: $0, removePath: path + "/groups/remove", teamName: overview.team.name)
                },
                addPath: path + "/groups"
            )
        }
        let page = OverviewPage(
            chrome: try await support.chrome(context),
            hasDirectories: !directories.isEmpty,
            directories: directories,
            hasTeams: !teams.isEmpty,
            teams: teams
        )
        return support.pages.page("dsync", page)
    }

    /// GET …/new: the Configure Directory Sync form.
    @Sendable func newDirectory(_ request: Request, context: AdminRequestContext) async throws -> Response {
        support.pages.page("directory-new", newDirectoryPage(chrome: try await support.chrome(context), name: "", provider: .okta, error: nil))
    }

    /// POST …/directories: configures a directory and shows its token once; a missing name or provider shows the
    /// form again with a 400.
    @Sendable func createDirectory(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, session: context.session)
        let name = form.trimmed("name")
        let provider = DirectoryProvider(rawValue: form.trimmed("provider"))
        let problem: String? =
            if name.isEmpty {
                "Give the directory a name."
            } else if name.count > 200 {
                "Keep the name under 200 characters."
            } else if provider == nil {
                "Choose a Directory Provider from the list."
            } else {
                nil
            }
        if let problem {
            let page = newDirectoryPage(chrome: try await support.chrome(context), name: name, provider: provider ?? .okta, error: problem)
            return support.pages.page("directory-new", page, status: .badRequest)
        }
        let (token, hash) = BearerToken.generate()
        let directory = try await store.createDirectory(name: name, provider: provider ?? .okta, tokenHash: hash, by: context.actor)
        let message = FlashMessage(
            .success,
            "Directory “\(directory.name)” is configured. Copy its SCIM Base URL and SCIM Bearer Token into \(directory.provider.identityProviderName) now: the token is shown only once."
        )
        return try await support.redirect(to: SettingsPaths.directory(directory.id), revealing: token, key: directory.id, message, context: context)
    }

    /// GET …/directories/{id}: SCIM credentials, status, regeneration and deletion.
    @Sendable func showDirectory(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let directory = try await support.directory(context, in: store)
        let status = try await store.directoryStatus(directoryID: directory.id)
        let warnings = try await store.warnings(directoryID: directory.id, limit: 10)
        let page = DirectoryPage(
            chrome: try await support.chrome(context),
            path: SettingsPaths.directory(directory.id),
            name: directory.name,
            provider: directory.provider.displayName,
            identityProvider: directory.provider.identityProviderName,
            isOkta: directory.provider == .okta,
            isAzure: directory.provider == .azure,
            created: DisplayText.time(directory.createdAt),
            baseURL: directory.scimBaseURL(baseURL: baseURL),
            revealedToken: try await support.revealedSecret(key: directory.id, context: context),
            activeUsers: status.activeUsers,
            inactiveUsers: status.inactiveUsers,
            groups: status.groups,
            userCount: DisplayText.count(status.activeUsers + status.inactiveUsers, "user"),
            groupCount: DisplayText.count(status.groups, "group"),
            lastRequest: try await lastRequestText(directoryID: directory.id),
            hasWarnings: !warnings.isEmpty,
            warnings: warnings.map { DirectoryPage.Warning(at: DisplayText.time($0.at), message: $0.message) }
        )
        return support.pages.page("directory", page)
    }

    /// POST …/directories/{id}/token: replaces the token; the old one stops working at once.
    @Sendable func regenerateToken(_ request: Request, context: AdminRequestContext) async throws -> Response {
        _ = try await SubmittedForm.read(request, session: context.session)
        let directory = try await support.directory(context, in: store)
        let (token, hash) = BearerToken.generate()
        guard try await store.replaceTokenHash(directoryID: directory.id, tokenHash: hash, by: context.actor) else {
            throw SettingsPageError.notFound("This directory")
        }
        let message = FlashMessage(
            .warning,
            "A new token replaced the old one, which no longer works. Paste the new token into \(directory.provider.identityProviderName) now: it is shown only once."
        )
        return try await support.redirect(to: SettingsPaths.directory(directory.id), revealing: token, key: directory.id, message, context: context)
    }

    /// POST …/directories/{id}/delete: deletes the directory when its name was typed to confirm.
    @Sendable func deleteDirectory(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, session: context.session)
        let directory = try await support.directory(context, in: store)
        guard form.trimmed("confirmName") == directory.name else {
            let message = FlashMessage(.error, "Nothing was deleted: type the directory's name, “\(directory.name)”, exactly to confirm.")
            return try await support.redirect(to: SettingsPaths.directory(directory.id), message, context: context)
        }
        _ = try await store.deleteDirectory(id: directory.id, by: context.actor)
        let message = FlashMessage(.success, "Directory “\(directory.name)” was deleted with its users and groups.")
        return try await support.redirect(to: SettingsPaths.root, message, context: context)
    }

    /// GET …/directories/{id}/requests: the directory's recent SCIM requests.
    @Sendable func requestLogPage(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let directory = try await support.directory(context, in: store)
        let entries = try await requestLog.entries(directoryID: directory.id, limit: 200)
        let page = RequestLogPage(
            chrome: try await support.chrome(context),
            directoryName: directory.name,
            directoryPath: SettingsPaths.directory(directory.id),
            capacity: requestLog.capacity,
            hasEntries: !entries.isEmpty,
            entries: entries.map { entry in
                RequestLogPage.Row(
                    time: DisplayText.time(entry.at),
                    method: entry.method,
                    path: Self.displayPath(entry),
                    status: entry.status,
                    statusClass: entry.status >= 400 ? "error" : "ok",
                    duration: String(format: "%.1f ms", entry.durationMilliseconds),
                    detail: entry.detail
                )
            }
        )
        return support.pages.page("request-log", page)
    }

    // MARK: Helpers

    /// The form's model with `provider` chosen.
    private func newDirectoryPage(chrome: PageChrome, name: String, provider: DirectoryProvider, error: String?) -> NewDirectoryPage {
        NewDirectoryPage(
            chrome: chrome,
            error: error,
            name: name,
            providers: DirectoryProvider.allCases.map {
                NewDirectoryPage.ProviderOption(value: $0.rawValue, label: $0.displayName, selected: $0 == provider)
            }
        )
    }

    /// `2026-11-29 08:31:02 UTC · GET /Users → 200`, or that there was none.
    private func lastRequestText(directoryID: String) async throws -> String {
        guard let entry = try await requestLog.lastEntry(directoryID: directoryID) else { return "None yet" }
        var text = "\(DisplayText.time(entry.at)) · \(entry.method) \(Self.displayPath(entry)) → \(entry.status)"
        if let detail = entry.detail { text += " (\(detail))" }
        return text
    }

    /// A logged request's path relative to its directory's SCIM Base URL, with the query decoded for reading:
    /// `/Users?filter=userName eq "a@b.c"`.
    static func displayPath(_ entry: RequestLog.Entry) -> String {
        let prefix = SCIMPaths.prefix + "/" + entry.directoryID
        var path = entry.path.hasPrefix(prefix) ? String(entry.path.dropFirst(prefix.count)) : entry.path
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        guard let question = path.firstIndex(of: "?") else { return path }
        let query = QueryString(String(path[path.index(after: question)...])).items.map { $0.value.isEmpty ? $0.name : $0.name + "=" + $0.value }
        return path[..<question] + "?" + query.joined(separator: "&")
    }
}
