import SCIM

/// What an effective change of a user's or group's attributes means, decided once for every store: the events it
/// writes and what teams must do about it. The store writes the rows and then, in this order: ``activityEvent``,
/// the team events of ``activityChange`` (``TeamMembershipRules/activityEvents``), ``updateEvent``, and the team
/// moves of ``renamedFrom`` (``TeamMembershipRules/renameMoves(before:after:)``). The resource's own event always
/// comes before the team events it causes.
public struct ResourceUpdate: Sendable, Hashable {
    /// `user.deactivated` or `user.reactivated` when `active` flipped.
    public var activityEvent: NewEvent?
    /// The user's new `active` when it flipped: team memberships are suspended (false) or restored (true).
    public var activityChange: Bool?
    /// `user.updated` or `group.updated` when attributes other than `active` changed.
    public var updateEvent: NewEvent?
    /// A group's earlier display name when it was renamed: its members move between the teams mapped to the names.
    public var renamedFrom: String?

    /// Decides what an attribute change of the resource `id` means.
    public init(_ kind: ResourceKind, directoryID: String, id: String, before: JSONObject, after: JSONObject, changedAttributes: [String]) {
        var others = changedAttributes
        switch kind {
        case .user:
            let wasActive = IndexedColumns.user(before).active
            let isActive = IndexedColumns.user(after).active
            if wasActive != isActive {
                others.removeAll { $0 == "active" }
                activityEvent = .activityChanged(directoryID: directoryID, id: id, attributes: after, active: isActive)
                activityChange = isActive
            }
        case .group:
            let oldName = IndexedColumns.group(before).displayName
            if oldName != IndexedColumns.group(after).displayName { renamedFrom = oldName }
        }
        if !others.isEmpty {
            var previous = JSONObject()
            for name in others { previous[name] = before[name] ?? .null }
            updateEvent = .updated(kind, directoryID: directoryID, id: id, attributes: after, previous: previous)
        }
    }
}
