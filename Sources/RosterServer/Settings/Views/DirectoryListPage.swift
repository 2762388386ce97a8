/// The model of the `users` and `groups` templates (children of `directory-list`): one page of a directory's users or
/// groups, with the search text and the links to the other pages.
struct DirectoryListPage<Row> {
    /// The layout's part.
    var chrome: PageChrome
    /// The directory's name.
    var directoryName: String
    /// The directory's page.
    var directoryPath: String
    /// The search text.
    var query: String
    /// `3 users`, or `1 user matches “ali”`.
    var totalText: String
    /// This page's rows: ``UserListRow``s or ``GroupListRow``s.
    var rows: [Row]
    /// Page links; nil when one page holds the whole list.
    var pagination: Pagination?
}

/// A user's row of the `users` template.
struct UserListRow {
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

/// A group's row of the `groups` template.
struct GroupListRow {
    /// The name.
    var displayName: String
    /// How many members.
    var memberCount: Int
    /// Mapped team names, comma-separated.
    var teams: String
}

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
