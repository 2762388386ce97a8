/// A team of the organization. IdP groups feed it through mappings by exact group name; an admin may also add
/// members by hand.
public struct Team: Sendable, Hashable, Codable {
    /// The team's id.
    public var id: String
    /// The name shown to people.
    public var name: String
    /// A URL-safe unique name.
    public var slug: String
    /// When it was created, in milliseconds since 1970.
    public var createdAt: Int64

    /// Makes a team.
    public init(id: String, name: String, slug: String, createdAt: Int64) {
        self.id = id
        self.name = name
        self.slug = slug
        self.createdAt = createdAt
    }

    /// A slug made from a name: lowercase letters and digits, other runs of characters turned into one `-`.
    public static func slug(from name: String) -> String {
        var slug = ""
        var pendingDash = false
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingDash, !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return slug.isEmpty ? "team" : slug
    }
}

/// A mapping from an IdP group name to a team: every active member of a group whose `displayName` equals
/// `groupName` exactly (case-sensitive, as the seed guide says) is in the team. With no directory, groups of that
/// name in every directory count.
public struct TeamMapping: Sendable, Hashable, Codable {
    /// The team fed.
    public var teamID: String
    /// The directory whose groups count, or nil for every directory.
    public var directoryID: String?
    /// The exact group name.
    public var groupName: String

    /// Makes a mapping.
    public init(teamID: String, directoryID: String?, groupName: String) {
        self.teamID = teamID
        self.directoryID = directoryID
        self.groupName = groupName
    }
}

/// Why a user is in a team.
public enum TeamMembershipSource: Sendable, Hashable {
    /// Added by hand; never removed by the IdP.
    case manual
    /// A member of this mapped group.
    case group(id: String, displayName: String)

    /// The source of a stored membership: its source group, or a manual addition when it has none.
    public init(groupID: String?, displayName: String?) {
        if let groupID { self = .group(id: groupID, displayName: displayName ?? "") } else { self = .manual }
    }
}

/// Whether a membership counts. One rule for every view (settings pages, read API, CLI, counts): a member whose
/// user is active in their directory is active; one deactivated by the IdP is suspended, listed and marked but not
/// counted, and active again on reactivation.
public enum TeamMembershipStatus: String, Sendable, Hashable, Codable {
    /// The user is active: the membership counts.
    case active
    /// The user is deactivated: the membership is kept, marked, and not counted.
    case suspended

    /// The status of a membership of a user who is (or is not) active.
    public init(userActive: Bool) {
        self = userActive ? .active : .suspended
    }
}

/// A user in a team, with every source that holds them there.
public struct TeamMember: Sendable, Hashable {
    /// The user's SCIM id.
    public var userID: String
    /// The user's `userName`.
    public var userName: String
    /// The user's directory.
    public var directoryID: String
    /// Whether the user is active; inactive users' memberships are suspended, not counted.
    public var active: Bool
    /// The email that names the person the user is (``PersonIdentity``), lowercased; nil when the user has none.
    public var personEmail: String?
    /// What holds the user in the team.
    public var sources: [TeamMembershipSource]

    /// Makes a member.
    public init(
        userID: String,
        userName: String,
        directoryID: String,
        active: Bool,
        personEmail: String? = nil,
        sources: [TeamMembershipSource]
    ) {
        self.userID = userID
        self.userName = userName
        self.directoryID = directoryID
        self.active = active
        self.personEmail = personEmail
        self.sources = sources
    }

    /// Whether this membership counts.
    public var membership: TeamMembershipStatus { TeamMembershipStatus(userActive: active) }
}

/// One person in a team: the users of one email (ignoring case) across directories, each with their directory and
/// sources. A team is made of people, so two directories pushing the same person make one member with two sources.
public struct TeamPerson: Sendable, Hashable {
    /// The person's email, lowercased; nil for a user without one (a person alone).
    public var email: String?
    /// The person's users in the team, in the order they were listed.
    public var members: [TeamMember]

    /// Makes a person.
    public init(email: String?, members: [TeamMember]) {
        self.email = email
        self.members = members
    }

    /// Active while any of the person's users is active; suspended when every one is deactivated.
    public var membership: TeamMembershipStatus { TeamMembershipStatus(userActive: members.contains(where: \.active)) }

    /// Groups members into people by ``TeamMember/personEmail``, in the order each person first appears.
    public static func grouping(_ members: [TeamMember]) -> [TeamPerson] {
        PersonIdentity.grouping(members, by: \.personEmail).map { TeamPerson(email: $0.email, members: $0.items) }
    }
}

/// What adding a mapping did, for the admin: whether it was new, which groups it matched, how many people joined,
/// and pushed group names that differ from it only in case (names match exactly, so those do not count).
public struct TeamMappingOutcome: Sendable, Hashable {
    /// The mapping.
    public var mapping: TeamMapping
    /// Whether the team already had this mapping (nothing changed).
    public var alreadyMapped: Bool
    /// How many pushed groups have exactly this name.
    public var matchedGroups: Int
    /// How many active users joined the team because of it.
    public var membersJoined: Int
    /// Pushed group names equal to it ignoring case but not exactly, by name.
    public var namesDifferingInCase: [String]

    /// Makes an outcome.
    public init(mapping: TeamMapping, alreadyMapped: Bool, matchedGroups: Int, membersJoined: Int, namesDifferingInCase: [String]) {
        self.mapping = mapping
        self.alreadyMapped = alreadyMapped
        self.matchedGroups = matchedGroups
        self.membersJoined = membersJoined
        self.namesDifferingInCase = namesDifferingInCase
    }

    /// The outcome of adding `mapping`: `added` when it is new, `joinedPerGroup` the members each group of its name
    /// brought into the team.
    public init(_ mapping: TeamMapping, added: Bool, joinedPerGroup: [Int], namesDifferingInCase: [String]) {
        self.init(
            mapping: mapping,
            alreadyMapped: !added,
            matchedGroups: joinedPerGroup.count,
            membersJoined: joinedPerGroup.reduce(0, +),
            namesDifferingInCase: namesDifferingInCase
        )
    }
}
