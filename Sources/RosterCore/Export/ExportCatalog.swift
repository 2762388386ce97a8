/// The kind of a stored column, as both back ends store it.
public enum ExportColumnKind: Sendable, Hashable {
    /// A 64-bit integer.
    case integer
    /// A flag (0/1 in SQLite, BOOLEAN in PostgreSQL).
    case boolean
    /// UTF-8 text.
    case text
    /// Bytes (BLOB in SQLite, BYTEA in PostgreSQL).
    case blob
}

/// One column of an exported table.
public struct ExportColumn: Sendable, Hashable {
    /// Its name, the same in both back ends.
    public var name: String
    /// Its kind.
    public var kind: ExportColumnKind

    /// Makes a column.
    public init(_ name: String, _ kind: ExportColumnKind) {
        self.name = name
        self.kind = kind
    }
}

/// One table `roster export-postgres` copies.
public struct ExportTable: Sendable, Hashable {
    /// Its name, the same in both back ends.
    public var name: String
    /// Its columns, in copy order.
    public var columns: [ExportColumn]
    /// An identity column whose sequence must continue after the copied rows (PostgreSQL), if any.
    public var identityColumn: String?

    /// Makes a table.
    public init(_ name: String, _ columns: [ExportColumn], identityColumn: String? = nil) {
        self.name = name
        self.columns = columns
        self.identityColumn = identityColumn
    }
}

/// Everything Roster stores that moves to PostgreSQL, parents before children: directories, users, groups,
/// memberships, teams, mappings, events, warnings, webhook endpoints and deliveries, API keys, who has signed in,
/// and the audit trail (with its ids, so cursors stay valid). Sign-in links and sessions stay behind (admins sign in
/// again).
public enum ExportCatalog {
    /// The tables in copy order.
    public static let tables: [ExportTable] = [
        ExportTable(
            "directory",
            [
                .init("id", .text), .init("name", .text), .init("provider", .text), .init("token_hash", .blob), .init("enabled", .boolean),
                .init("created_at", .integer),
            ]
        ),
        ExportTable(
            "scim_user",
            [
                .init("row_id", .integer), .init("id", .text), .init("directory_id", .text), .init("user_name", .text),
                .init("user_name_key", .text), .init("external_id", .text), .init("display_name_key", .text), .init("active", .boolean),
                .init("created_at", .integer), .init("modified_at", .integer), .init("version", .integer), .init("document", .text),
                .init("person_email", .text),
            ],
            identityColumn: "row_id"
        ),
        ExportTable(
            "scim_user_email",
            [.init("user_row", .integer), .init("directory_id", .text), .init("value_key", .text), .init("type_key", .text)]
        ),
        ExportTable(
            "scim_group",
            [
                .init("row_id", .integer), .init("id", .text), .init("directory_id", .text), .init("display_name", .text),
                .init("display_name_key", .text), .init("external_id", .text), .init("created_at", .integer), .init("modified_at", .integer),
                .init("version", .integer), .init("document", .text),
            ],
            identityColumn: "row_id"
        ),
        ExportTable("group_member", [.init("group_row", .integer), .init("user_row", .integer)]),
        ExportTable(
            "event",
            [
                .init("sequence", .integer), .init("id", .text), .init("directory_id", .text), .init("type", .text), .init("resource_id", .text),
                .init("data", .text), .init("previous_attributes", .text), .init("created_at", .integer),
            ],
            identityColumn: "sequence"
        ),
        ExportTable(
            "directory_warning",
            [.init("row_id", .integer), .init("directory_id", .text), .init("at", .integer), .init("message", .text)],
            identityColumn: "row_id"
        ),
        ExportTable("team", [.init("id", .text), .init("name", .text), .init("slug", .text), .init("created_at", .integer)]),
        ExportTable(
            "team_mapping",
            [
                .init("row_id", .integer), .init("team_id", .text), .init("directory_id", .text), .init("group_name", .text),
                .init("created_at", .integer),
            ],
            identityColumn: "row_id"
        ),
        ExportTable(
            "team_membership",
            [.init("team_id", .text), .init("user_row", .integer), .init("source_group_row", .integer), .init("created_at", .integer)]
        ),
        ExportTable(
            "webhook_endpoint",
            [
                .init("id", .text), .init("url", .text), .init("event_types", .text), .init("enabled", .boolean), .init("secret", .text),
                .init("previous_secret", .text), .init("previous_secret_expires_at", .integer), .init("cursor", .integer),
                .init("created_at", .integer),
            ]
        ),
        ExportTable(
            "webhook_delivery",
            [
                .init("endpoint_id", .text), .init("sequence", .integer), .init("event_id", .text), .init("event_type", .text),
                .init("state", .text), .init("attempts", .integer), .init("first_attempt_at", .integer), .init("next_attempt_at", .integer),
                .init("last_status", .integer), .init("last_response", .text), .init("delivered_at", .integer),
            ]
        ),
        ExportTable(
            "api_key",
            [
                .init("id", .text), .init("name", .text), .init("prefix", .text), .init("token_hash", .blob), .init("created_at", .integer),
                .init("last_used_at", .integer), .init("revoked_at", .integer),
            ]
        ),
        ExportTable("admin_sign_in", [.init("email", .text), .init("method", .text), .init("first_at", .integer), .init("last_at", .integer)]),
        ExportTable(
            "audit_entry",
            [
                .init("id", .integer), .init("at", .integer), .init("actor_kind", .text), .init("actor", .text), .init("actor_detail", .text),
                .init("address", .text), .init("action", .text), .init("target_kind", .text), .init("target_id", .text),
                .init("target_name", .text), .init("before", .text), .init("after", .text),
            ],
            identityColumn: "id"
        ),
    ]
}
