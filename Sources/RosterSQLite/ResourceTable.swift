import RosterCore

/// Where each kind of resource lives in SQLite and which of its columns are indexed.
struct ResourceTable: Sendable {
    /// The table name.
    let name: String
    /// The SQL alias used in queries.
    let alias: String
    /// The kind of resource.
    let kind: ResourceKind

    /// The table of `kind`.
    static func of(_ kind: ResourceKind) -> ResourceTable {
        switch kind {
        case .user: ResourceTable(name: "scim_user", alias: "u", kind: .user)
        case .group: ResourceTable(name: "scim_group", alias: "g", kind: .group)
        }
    }

    /// The columns every query selects, qualified with the alias.
    var selectColumns: String {
        "\(alias).row_id, \(alias).id, \(alias).directory_id, \(alias).created_at, \(alias).modified_at, \(alias).version, \(alias).document"
    }
}
