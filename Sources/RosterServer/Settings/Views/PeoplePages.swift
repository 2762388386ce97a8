/// Page links of a paginated list.
struct Pagination {
    /// This page, from 1.
    var page: Int
    /// How many pages.
    var pages: Int
    /// The previous page's URL.
    var previousPath: String?
    /// The next page's URL.
    var nextPath: String?

    /// The links for `page` of `total` rows at `pageSize` per page, under `path` with query `q`; nil when one page
    /// holds everything.
    static func make(page: Int, total: Int, pageSize: Int, path: String, query: String) -> Pagination? {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        guard pages > 1 else { return nil }
        func link(_ number: Int) -> String {
            var link = path + "?page=\(number)"
            if !query.isEmpty { link += "&q=" + SettingsPaths.queryValue(query) }
            return link
        }
        return Pagination(
            page: page,
            pages: pages,
            previousPath: page > 1 ? link(min(page - 1, pages)) : nil,
            nextPath: page < pages ? link(page + 1) : nil
        )
    }
}

/// The model of the `users` template.
struct UsersPage {
    /// A user's row.
    struct Row {
        /// The user's page.
        var path: String
        /// `userName`.
        var userName: String
        /// The name.
        var name: String?
        /// The email.
        var email: String?
        /// `active` or `deactivated`.
        var status: String
        /// Team names, comma-separated.
        var teams: String
    }

    /// The layout's part.
    var chrome: PageChrome
    /// The directory's name.
    var directoryName: String
    /// The directory's page.
    var directoryPath: String
    /// The search text.
    var query: String
    /// `3 users` or `2 users match “ali”`.
    var totalText: String
    /// This page's users.
    var users: [Row]
    /// Page links.
    var pagination: Pagination?
}

/// The model of the `user` template.
struct UserPage {
    /// A team the user is in.
    struct TeamRow {
        /// The team's page.
        var path: String
        /// The team's name.
        var name: String
        /// What holds the user there, in words.
        var sources: String
        /// `active` or `suspended`: the membership's status.
        var membership: String
    }

    /// A group the user is in.
    struct GroupRow {
        /// The group's name.
        var displayName: String
    }

    /// The layout's part.
    var chrome: PageChrome
    /// The directory's name.
    var directoryName: String
    /// The directory's page.
    var directoryPath: String
    /// The SCIM id.
    var id: String
    /// `userName`.
    var userName: String
    /// The name.
    var name: String?
    /// The email.
    var email: String?
    /// `active` or `deactivated`.
    var status: String
    /// Whether the user is deactivated.
    var inactive: Bool
    /// Whether the user is in any team.
    var hasTeams: Bool
    /// The teams.
    var teams: [TeamRow]
    /// Whether the user is in any group.
    var hasGroups: Bool
    /// The groups.
    var groups: [GroupRow]
}

/// The model of the `groups` template.
struct GroupsPage {
    /// A group's row.
    struct Row {
        /// The name.
        var displayName: String
        /// How many members.
        var memberCount: Int
        /// Mapped team names, comma-separated.
        var teams: String
    }

    /// The layout's part.
    var chrome: PageChrome
    /// The directory's name.
    var directoryName: String
    /// The directory's page.
    var directoryPath: String
    /// The search text.
    var query: String
    /// `2 groups`.
    var totalText: String
    /// This page's groups.
    var groups: [Row]
    /// Page links.
    var pagination: Pagination?
}
