/// When a team membership row's change is a team membership change, decided once for every store.
///
/// A membership row is (team, user, source group or manual). A user is in a team while any row holds them there
/// and they are active; a deactivated user's rows stay (suspended). Every effective change, and only those, writes
/// a `team.member_added` or `team.member_removed` event. Where one change affects several teams, their events come
/// in team slug order.
public enum TeamMembershipRules {
    /// Whether inserting a row announces the user's joining: the row is new, no other row held them in the team
    /// before, and they are active.
    public static func announcesJoin(rowInserted: Bool, wasInTeam: Bool, userActive: Bool) -> Bool {
        rowInserted && !wasInTeam && userActive
    }

    /// Whether deleting a row announces the user's leaving: a row went, no other row holds them in the team, and
    /// they are active (a suspended membership was already announced as gone).
    public static func announcesLeave(rowDeleted: Bool, stillInTeam: Bool, userActive: Bool) -> Bool {
        rowDeleted && !stillInTeam && userActive
    }

    /// What a user's `active` flipping announces in each team they hold a row in: added when restored, removed
    /// when suspended.
    public static func activityChange(active: Bool) -> MemberChange {
        active ? .added : .removed
    }

    /// Whether deleting a user announces their leaving each team they hold a row in: only while they are active.
    public static func userDeletionAnnounces(userActive: Bool) -> Bool {
        userActive
    }

    /// The teams a renamed group's members leave (mapped to the old name only) and join (mapped to the new name
    /// only), each in the order given (slug order).
    public static func renameMoves(before: [String], after: [String]) -> (leaving: [String], joining: [String]) {
        guard Set(before) != Set(after) else { return ([], []) }
        return (before.filter { !after.contains($0) }, after.filter { !before.contains($0) })
    }
}
