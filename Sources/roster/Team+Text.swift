import RosterCore

extension Team {
    /// How messages name the team: its name in quotes, then its slug, `"Platform Engineering" (platform-engineering)`.
    var shown: String { "\"\(name.replacingNewlines())\" (\(slug))" }
}

extension TeamMapping {
    /// The groups the mapping matches, `the group name "Engineering" in all directories` or `… in directory ID`.
    var shown: String { "the group name \"\(groupName.replacingNewlines())\" in \(scope)" }

    /// Where matching groups may come from: `all directories` or `directory ID`.
    var scope: String { directoryID.map { "directory \($0)" } ?? "all directories" }

    /// Whether `member` is in the team through a group this mapping matches.
    func feeds(_ member: TeamMember) -> Bool {
        guard directoryID == nil || directoryID == member.directoryID else { return false }
        return member.sources.contains { source in
            if case .group(_, let displayName) = source { displayName == groupName } else { false }
        }
    }
}

extension [TeamMember] {
    /// How many people count (``TeamPerson``: the users of one email are one person; a person counts while any of
    /// their users is active), with the suspended ones apart: `2 members`, `1 member, plus 1 suspended`, `no members`.
    var headcount: String {
        let people = TeamPerson.grouping(self)
        let active = people.filter { $0.membership == .active }.count
        let suspended = people.count - active
        let members =
            switch active {
            case 0: "no members"
            case 1: "1 member"
            default: "\(active) members"
            }
        return suspended == 0 ? members : "\(members), plus \(suspended) suspended"
    }
}

extension TeamMembershipSource {
    /// The source in a table cell: a group's display name in quotes, or `manual`.
    var shown: String {
        switch self {
        case .manual: "manual"
        case .group(_, let displayName): "\"\(displayName)\""
        }
    }
}
