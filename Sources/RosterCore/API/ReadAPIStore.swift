import SCIM

/// What the read API (`/api/v1`) asks of storage. Lists are keyset-paginated on an internal, ever-increasing row
/// number, so a page boundary never moves when rows are added or removed elsewhere.
public protocol ReadAPIStore: Sendable {
    /// Users matching `filter`, after the row `cursor`, at most `limit`.
    func apiUsers(filter: APIUserFilter, after cursor: Int64?, limit: Int) async throws -> APIPage<APIUser>
    /// The user with `id`, in any directory.
    func apiUser(id: String) async throws -> APIUser?
    /// Groups, of one directory or all, after the row `cursor`, at most `limit`.
    func apiGroups(directoryID: String?, after cursor: Int64?, limit: Int) async throws -> APIPage<APIGroup>
    /// A team's people (``TeamPerson``: the users of one email across directories, active and suspended), at most
    /// `limit`, each keyed by the first of their user rows in the team, after `cursor`; nil when there is no such
    /// team.
    func apiTeamMembers(team reference: String, after cursor: Int64?, limit: Int) async throws -> APIPage<APITeamPerson>?
    /// Removes a manual membership (group-sourced ones stay), recorded as done by `actor`; false when there was none.
    func removeManualMember(team reference: String, userID: String, by actor: AuditActor) async throws -> Bool
}

/// Which users a list returns.
public struct APIUserFilter: Sendable, Hashable {
    /// Only users with this email (any of theirs, ignoring case).
    public var email: String?
    /// Only active (true) or deactivated (false) users.
    public var active: Bool?
    /// Only members of this team (id, slug or name).
    public var team: String?
    /// Only users of this directory.
    public var directoryID: String?

    /// Makes a filter.
    public init(email: String? = nil, active: Bool? = nil, team: String? = nil, directoryID: String? = nil) {
        self.email = email
        self.active = active
        self.team = team
        self.directoryID = directoryID
    }
}

/// One page of a list and where the next one starts.
public struct APIPage<Item: Sendable & Hashable>: Sendable, Hashable {
    /// The items.
    public var items: [Item]
    /// The row to continue after; nil on the last page.
    public var nextCursor: Int64?

    /// Makes a page.
    public init(items: [Item], nextCursor: Int64?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// A user as the read API shows it.
public struct APIUser: Sendable, Hashable {
    /// The SCIM id.
    public var id: String
    /// The directory.
    public var directoryID: String
    /// `userName`.
    public var userName: String
    /// Whether active.
    public var active: Bool
    /// The teams the user is in, by name; while the user is deactivated each membership is suspended
    /// (``membership``).
    public var teams: [Team]
    /// The SCIM attributes as stored.
    public var attributes: JSONObject
    /// Created, in milliseconds since 1970.
    public var createdAt: Int64
    /// Last changed, in milliseconds since 1970.
    public var modifiedAt: Int64

    /// Makes a user.
    public init(
        id: String,
        directoryID: String,
        userName: String,
        active: Bool,
        teams: [Team],
        attributes: JSONObject,
        createdAt: Int64,
        modifiedAt: Int64
    ) {
        self.id = id
        self.directoryID = directoryID
        self.userName = userName
        self.active = active
        self.teams = teams
        self.attributes = attributes
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
    }

    /// The status of each of the user's team memberships.
    public var membership: TeamMembershipStatus { TeamMembershipStatus(userActive: active) }
}

/// One person in a team as the read API shows it: their email and each of their users in the team with its
/// sources.
public struct APITeamPerson: Sendable, Hashable {
    /// The person's email, lowercased; nil for a user without one.
    public var email: String?
    /// The person's users in the team, by row.
    public var members: [APITeamMembership]

    /// Makes a person.
    public init(email: String?, members: [APITeamMembership]) {
        self.email = email
        self.members = members
    }

    /// Active while any of the person's users is active.
    public var membership: TeamMembershipStatus { TeamMembershipStatus(userActive: members.contains { $0.user.active }) }
}

/// One user's membership of a team: the user and what holds them there.
public struct APITeamMembership: Sendable, Hashable {
    /// The user.
    public var user: APIUser
    /// The groups (and a manual addition) that hold the user in the team.
    public var sources: [TeamMembershipSource]

    /// Makes a membership.
    public init(user: APIUser, sources: [TeamMembershipSource]) {
        self.user = user
        self.sources = sources
    }
}

/// A group as the read API shows it.
public struct APIGroup: Sendable, Hashable {
    /// The SCIM id.
    public var id: String
    /// The directory.
    public var directoryID: String
    /// The display name.
    public var displayName: String
    /// How many members.
    public var memberCount: Int
    /// Created, in milliseconds since 1970.
    public var createdAt: Int64
    /// Last changed, in milliseconds since 1970.
    public var modifiedAt: Int64

    /// Makes a group.
    public init(id: String, directoryID: String, displayName: String, memberCount: Int, createdAt: Int64, modifiedAt: Int64) {
        self.id = id
        self.directoryID = directoryID
        self.displayName = displayName
        self.memberCount = memberCount
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
    }
}
