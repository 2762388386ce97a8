import RosterCore

extension ResourceKind {
    /// The attribute the store derives from the membership table: a Group's `members`, a User's `groups`. Handlers
    /// ask the store for it only when the response will show it.
    var derivedAttribute: String {
        switch self {
        case .user: "groups"
        case .group: "members"
        }
    }
}
