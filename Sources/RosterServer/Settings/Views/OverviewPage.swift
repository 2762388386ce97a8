/// The model of the `dsync` template: directories and the team-mapping table.
struct OverviewPage {
    /// A directory's row.
    struct DirectoryRow {
        /// Its page.
        var path: String
        /// Its name.
        var name: String
        /// Its provider's name.
        var provider: String
        /// Active users.
        var activeUsers: Int
        /// Deactivated users.
        var inactiveUsers: Int
        /// Groups.
        var groups: Int
        /// The last SCIM request, in words.
        var lastRequest: String
    }

    /// A mapped group name, shown as a chip with a remove form.
    struct GroupNameChip {
        /// The group name.
        var groupName: String
        /// Where its remove form posts.
        var removePath: String
        /// The team's name, for the confirmation.
        var teamName: String
    }

    /// A team's row.
    struct TeamRow {
        /// The team's slug.
        var slug: String
        /// The team's name.
        var name: String
        /// The team's page.
        var path: String
        /// `12 members`.
        var memberCountText: String
        /// The mapped group names.
        var groupNames: [GroupNameChip]
        /// Where "Add group name" posts.
        var addPath: String
    }

    /// The layout's part.
    var chrome: PageChrome
    /// Whether any directory exists.
    var hasDirectories: Bool
    /// The directories, oldest first.
    var directories: [DirectoryRow]
    /// Whether any team exists.
    var hasTeams: Bool
    /// The teams, by name.
    var teams: [TeamRow]
}

/// The model of the `directory-new` template.
struct NewDirectoryPage {
    /// A provider choice.
    struct ProviderOption {
        /// The form value.
        var value: String
        /// The name shown.
        var label: String
        /// Whether it is chosen.
        var selected: Bool
    }

    /// The layout's part.
    var chrome: PageChrome
    /// Why the last submission was refused.
    var error: String?
    /// The name entered so far.
    var name: String
    /// The providers, Okta first.
    var providers: [ProviderOption]
}

/// The model of the `directory` template.
struct DirectoryPage {
    /// A warning line.
    struct Warning {
        /// When.
        var at: String
        /// What.
        var message: String
    }

    /// The layout's part.
    var chrome: PageChrome
    /// The directory's page.
    var path: String
    /// Its name.
    var name: String
    /// Its provider's name.
    var provider: String
    /// The identity provider's own name ("Okta").
    var identityProvider: String
    /// Whether it is Okta, for the Okta walkthrough.
    var isOkta: Bool
    /// Whether it is Entra ID (Azure), whose URL carries a flag.
    var isAzure: Bool
    /// When it was configured.
    var created: String
    /// The SCIM Base URL.
    var baseURL: String
    /// A token made just now, shown once.
    var revealedToken: String?
    /// Active users.
    var activeUsers: Int
    /// Deactivated users.
    var inactiveUsers: Int
    /// Groups.
    var groups: Int
    /// `3 users`.
    var userCount: String
    /// `2 groups`.
    var groupCount: String
    /// The last SCIM request, in words.
    var lastRequest: String
    /// Whether there are warnings.
    var hasWarnings: Bool
    /// Recent warnings.
    var warnings: [Warning]
}

/// The model of the `request-log` template.
struct RequestLogPage {
    /// One request.
    struct Row {
        /// When.
        var time: String
        /// The method.
        var method: String
        /// Path and query.
        var path: String
        /// The status.
        var status: Int
        /// `ok` or `error`.
        var statusClass: String
        /// `12.3 ms`.
        var duration: String
        /// The error detail.
        var detail: String?
    }

    /// The layout's part.
    var chrome: PageChrome
    /// The directory's name.
    var directoryName: String
    /// The directory's page.
    var directoryPath: String
    /// How many requests the server keeps.
    var capacity: Int
    /// Whether there are entries.
    var hasEntries: Bool
    /// The requests, newest first.
    var entries: [Row]
}
