import SCIM

/// The two kinds of resource a directory holds.
public enum ResourceKind: String, Sendable, Hashable, CaseIterable {
    /// A SCIM User.
    case user
    /// A SCIM Group.
    case group

    /// The SCIM resource type.
    public var schema: ResourceSchema {
        switch self {
        case .user: .user
        case .group: .group
        }
    }

    /// The endpoint segment, `Users` or `Groups`.
    public var endpoint: String {
        switch self {
        case .user: "Users"
        case .group: "Groups"
        }
    }
}
