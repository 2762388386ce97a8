/// The per-directory counts every store keeps in the transaction of each write (the `resource_count` table, kept by
/// triggers): a list's `totalResults` without a filter and the settings page's counts read them in constant time
/// instead of counting the directory's rows.
public enum ResourceCounter: String, CaseIterable, Sendable {
    /// Users whose `active` is true.
    case activeUsers = "active_users"
    /// Users whose `active` is false.
    case inactiveUsers = "inactive_users"
    /// Groups.
    case groups

    /// The counters whose sum is the number of resources of `kind`.
    public static func counters(of kind: ResourceKind) -> [ResourceCounter] {
        switch kind {
        case .user: [.activeUsers, .inactiveUsers]
        case .group: [.groups]
        }
    }

    /// The counters of `kind` as an SQL list of string literals, `('active_users', 'inactive_users')`.
    public static func sqlList(of kind: ResourceKind) -> String {
        "(" + counters(of: kind).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }
}
