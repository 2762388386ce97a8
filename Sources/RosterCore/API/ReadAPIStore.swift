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
    /// A team's members (active and suspended), by user row after `cursor`, at most `limit`; nil when there is no
    /// such team.
    func apiTeamMembers(team reference: String, after cursor: Int64?, limit: Int) async throws -> APIPage<APIUser>?
    /// Removes a manual membership (group-sourced ones stay); false when there was none.
    func removeManualMember(team reference: String, userID: String) async throws -> Bool
}

/// Which users a list returns.
public struct APIUserFilter: Sendable, Hashable {
    /// Only users with this email (any of theirs, ignoring case).
    public var email: String?
    /// Only active (true) or deactivated (false) users.
    public var active: Bool?
    /// Only members of this team (id or slug).
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
    /// The teams the user is in (while active), by name.
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
