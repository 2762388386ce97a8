/// Every kind of change Roster records in its event outbox, as the `type` of an event, a webhook delivery and a
/// read API event. The raw values are part of Roster's public interface: never rename one.
public enum EventType: String, Sendable, Hashable, CaseIterable {
    /// A user was created.
    case userCreated = "user.created"
    /// A user's attributes other than `active` changed.
    case userUpdated = "user.updated"
    /// A user's `active` went from true to false.
    case userDeactivated = "user.deactivated"
    /// A user's `active` went from false to true.
    case userReactivated = "user.reactivated"
    /// A user was deleted.
    case userDeleted = "user.deleted"
    /// A group was created.
    case groupCreated = "group.created"
    /// A group's attributes changed (its members are announced one by one instead).
    case groupUpdated = "group.updated"
    /// A group was deleted.
    case groupDeleted = "group.deleted"
    /// A user joined a group.
    case groupMemberAdded = "group.member_added"
    /// A user left a group.
    case groupMemberRemoved = "group.member_removed"
    /// A user joined a team (or their suspended membership was restored).
    case teamMemberAdded = "team.member_added"
    /// A user left a team (or their membership was suspended).
    case teamMemberRemoved = "team.member_removed"

    /// `user.created` or `group.created`.
    public static func created(_ kind: ResourceKind) -> EventType {
        kind == .user ? .userCreated : .groupCreated
    }

    /// `user.updated` or `group.updated`.
    public static func updated(_ kind: ResourceKind) -> EventType {
        kind == .user ? .userUpdated : .groupUpdated
    }

    /// `user.deleted` or `group.deleted`.
    public static func deleted(_ kind: ResourceKind) -> EventType {
        kind == .user ? .userDeleted : .groupDeleted
    }
}
