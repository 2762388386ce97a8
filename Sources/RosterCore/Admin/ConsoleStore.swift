/// What the settings pages read: counts, searchable pages of users and groups, a user's memberships, and the team
/// overview. Every query is bounded by a page size.
public protocol ConsoleStore: Sendable {
    /// A directory's user and group counts.
    func directoryStatus(directoryID: String) async throws -> DirectoryStatus
    /// One page of a directory's users by `userName`; `search` (when not empty) keeps those whose userName,
    /// displayName or an email contains it, ignoring case.
    func userSummaries(directoryID: String, search: String?, offset: Int, limit: Int) async throws -> SummaryPage<UserSummary>
    /// A user with their groups and teams and what holds them in each; nil when there is no such user.
    func userDetail(directoryID: String, userID: String) async throws -> UserDetail?
    /// One page of a directory's groups by display name, with member counts and the teams their names feed.
    func groupSummaries(directoryID: String, search: String?, offset: Int, limit: Int) async throws -> SummaryPage<GroupSummary>
    /// Every team by name, with its mapped group names and its people counted by membership status.
    func teamOverviews() async throws -> [TeamOverview]
}

/// A page of summaries and how many matched in all.
public struct SummaryPage<Item: Sendable & Hashable>: Sendable, Hashable {
    /// How many matched.
    public var total: Int
    /// This page.
    public var items: [Item]

    /// Makes a page.
    public init(total: Int, items: [Item]) {
        self.total = total
        self.items = items
    }
}

/// How many users and groups a directory holds.
public struct DirectoryStatus: Sendable, Hashable {
    /// Users with `active` true.
    public var activeUsers: Int
    /// Users with `active` false (deactivated by the IdP).
    public var inactiveUsers: Int
    /// Groups.
    public var groups: Int

    /// Makes a status.
    public init(activeUsers: Int, inactiveUsers: Int, groups: Int) {
        self.activeUsers = activeUsers
        self.inactiveUsers = inactiveUsers
        self.groups = groups
    }
}

/// A user as the users list shows them.
public struct UserSummary: Sendable, Hashable {
    /// The SCIM id.
    public var id: String
    /// `userName`.
    public var userName: String
    /// `displayName`, else `name.formatted`, else given and family name; nil when there is none.
    public var name: String?
    /// The primary email, else the first.
    public var email: String?
    /// Whether the user is active.
    public var active: Bool
    /// The names of the teams the user is in, by name.
    public var teams: [String]

    /// Makes a summary.
    public init(id: String, userName: String, name: String?, email: String?, active: Bool, teams: [String]) {
        self.id = id
        self.userName = userName
        self.name = name
        self.email = email
        self.active = active
        self.teams = teams
    }
}

/// A group a user is in.
public struct GroupReference: Sendable, Hashable {
    /// The group's SCIM id.
    public var id: String
    /// Its display name.
    public var displayName: String

    /// Makes a reference.
    public init(id: String, displayName: String) {
        self.id = id
        self.displayName = displayName
    }
}

/// A team a user is in, with what holds them there.
public struct UserTeamMembership: Sendable, Hashable {
    /// The team.
    public var team: Team
    /// Each group that feeds the membership, or manual.
    public var sources: [TeamMembershipSource]

    /// Makes a membership.
    public init(team: Team, sources: [TeamMembershipSource]) {
        self.team = team
        self.sources = sources
    }
}

/// A user with their groups and teams.
public struct UserDetail: Sendable, Hashable {
    /// The user.
    public var summary: UserSummary
    /// The groups the user is a member of, by name.
    public var groups: [GroupReference]
    /// The teams the user is in, by name (suspended while the user is inactive).
    public var teams: [UserTeamMembership]

    /// Makes a detail.
    public init(summary: UserSummary, groups: [GroupReference], teams: [UserTeamMembership]) {
        self.summary = summary
        self.groups = groups
        self.teams = teams
    }
}

/// A group as the groups list shows it.
public struct GroupSummary: Sendable, Hashable {
    /// The SCIM id.
    public var id: String
    /// The display name.
    public var displayName: String
    /// How many members it has.
    public var memberCount: Int
    /// The names of the teams mapped to its name, by name.
    public var teams: [String]

    /// Makes a summary.
    public init(id: String, displayName: String, memberCount: Int, teams: [String]) {
        self.id = id
        self.displayName = displayName
        self.memberCount = memberCount
        self.teams = teams
    }
}

/// A team with its mapped group names and size.
public struct TeamOverview: Sendable, Hashable {
    /// The team.
    public var team: Team
    /// The mapped group names, in the order they were added.
    public var groupNames: [String]
    /// How many people (``TeamPerson``) are in it with an active membership.
    public var memberCount: Int
    /// How many people are in it with only suspended memberships (every one of their users deactivated).
    public var suspendedCount: Int

    /// Makes an overview.
    public init(team: Team, groupNames: [String], memberCount: Int, suspendedCount: Int = 0) {
        self.team = team
        self.groupNames = groupNames
        self.memberCount = memberCount
        self.suspendedCount = suspendedCount
    }
}

/// Everything the HTTP layer needs of storage: the SCIM resources, teams, the settings pages' queries, admin
/// sessions, webhooks, API keys and the read API's queries. The SQLite store is one; a Postgres store will be another.
public typealias RosterStorage = RosterStore & TeamStore & ConsoleStore & AdminSessionStore & WebhookStore & APIKeyStore & ReadAPIStore & AuditStore
    & BrowserStateStore & RequestLogStore
    & StoreReadiness
