import Foundation
import SCIM

/// An event about to be appended to the outbox, in the transaction of the change it records. The builders below
/// are the only place an event's payload is assembled; stores only insert what they return.
public struct NewEvent: Sendable, Hashable {
    /// The event's unique id (`evt_…`).
    public var id: String
    /// The kind of change.
    public var type: EventType
    /// The directory the change came from.
    public var directoryID: String
    /// The resource the event is about (a user, group or team id).
    public var resourceID: String?
    /// The payload, serialized JSON.
    public var data: String
    /// For updates, the changed attributes' earlier values, serialized JSON.
    public var previousAttributes: String?

    /// Makes an event with a fresh id.
    public init(type: EventType, directoryID: String, resourceID: String?, data: String, previousAttributes: String? = nil) {
        self.id = "evt_" + UUID().uuidString.lowercased()
        self.type = type
        self.directoryID = directoryID
        self.resourceID = resourceID
        self.data = data
        self.previousAttributes = previousAttributes
    }

    /// `user.created` or `group.created`: the document exactly as it was stored.
    public static func created(_ kind: ResourceKind, directoryID: String, id: String, document: String) -> NewEvent {
        NewEvent(type: .created(kind), directoryID: directoryID, resourceID: id, data: document)
    }

    /// `user.deleted` or `group.deleted`: the attributes the resource had.
    public static func deleted(_ kind: ResourceKind, directoryID: String, id: String, attributes: JSONObject) -> NewEvent {
        NewEvent(type: .deleted(kind), directoryID: directoryID, resourceID: id, data: JSONValue.object(attributes).serialized())
    }

    /// `user.updated` or `group.updated`: the attributes now, and the earlier values of those that changed.
    public static func updated(_ kind: ResourceKind, directoryID: String, id: String, attributes: JSONObject, previous: JSONObject) -> NewEvent {
        NewEvent(
            type: .updated(kind),
            directoryID: directoryID,
            resourceID: id,
            data: JSONValue.object(attributes).serialized(),
            previousAttributes: JSONValue.object(previous).serialized()
        )
    }

    /// `user.deactivated` or `user.reactivated`: the user's attributes now and `active` as it was.
    public static func activityChanged(directoryID: String, id: String, attributes: JSONObject, active: Bool) -> NewEvent {
        NewEvent(
            type: active ? .userReactivated : .userDeactivated,
            directoryID: directoryID,
            resourceID: id,
            data: JSONValue.object(attributes).serialized(),
            previousAttributes: JSONValue.object(JSONObject([("active", .bool(!active))])).serialized()
        )
    }

    /// `group.member_added` or `group.member_removed`: `{group: {id, displayName}, user: {id, userName}}`.
    public static func groupMember(_ change: MemberChange, group: GroupIdentity, user: UserIdentity) -> NewEvent {
        let data = JSONObject([("group", group.document), ("user", user.document)])
        return NewEvent(
            type: change == .added ? .groupMemberAdded : .groupMemberRemoved,
            directoryID: group.directoryID,
            resourceID: group.id,
            data: JSONValue.object(data).serialized()
        )
    }

    /// `team.member_added` or `team.member_removed`: `{team: {id, name, slug}, user: {id, userName}}`, with
    /// `source.group` when a group's membership caused it.
    public static func teamMember(_ change: MemberChange, team: Team, user: UserIdentity, directoryID: String, source: GroupIdentity?) -> NewEvent {
        var data = JSONObject()
        data["team"] = .object(JSONObject([("id", .string(team.id)), ("name", .string(team.name)), ("slug", .string(team.slug))]))
        data["user"] = user.document
        if let source { data["source"] = .object(JSONObject([("group", source.document)])) }
        return NewEvent(
            type: change == .added ? .teamMemberAdded : .teamMemberRemoved,
            directoryID: directoryID,
            resourceID: team.id,
            data: JSONValue.object(data).serialized()
        )
    }
}

/// Whether a member joined or left.
public enum MemberChange: Sendable, Hashable {
    /// Joined.
    case added
    /// Left.
    case removed
}

/// A group as events name it.
public struct GroupIdentity: Sendable, Hashable {
    /// The group's SCIM id.
    public var id: String
    /// Its directory.
    public var directoryID: String
    /// Its display name (after the change).
    public var displayName: String

    /// Makes one.
    public init(id: String, directoryID: String, displayName: String) {
        self.id = id
        self.directoryID = directoryID
        self.displayName = displayName
    }

    /// `{id, displayName}`.
    var document: JSONValue {
        .object(JSONObject([("id", .string(id)), ("displayName", .string(displayName))]))
    }
}

/// A user as events name them.
public struct UserIdentity: Sendable, Hashable {
    /// The user's SCIM id.
    public var id: String
    /// Their userName.
    public var userName: String

    /// Makes one.
    public init(id: String, userName: String) {
        self.id = id
        self.userName = userName
    }

    /// `{id, userName}`.
    var document: JSONValue {
        .object(JSONObject([("id", .string(id)), ("userName", .string(userName))]))
    }
}
