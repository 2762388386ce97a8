/// Where each kind of resource lives in the database (both stores share one schema) and the columns every
/// resource query selects.
public struct ResourceTable: Sendable {
    /// The table name.
    public let name: String
    /// The SQL alias used in queries.
    public let alias: String
    /// The kind of resource.
    public let kind: ResourceKind

    /// The table of `kind`.
    public static func of(_ kind: ResourceKind) -> ResourceTable {
        switch kind {
        case .user: ResourceTable(name: "scim_user", alias: "u", kind: .user)
        case .group: ResourceTable(name: "scim_group", alias: "g", kind: .group)
        }
    }

    /// The columns every query selects, qualified with the alias.
    public var selectColumns: String {
        "\(alias).row_id, \(alias).id, \(alias).directory_id, \(alias).created_at, \(alias).modified_at, \(alias).version, \(alias).document"
    }
}
