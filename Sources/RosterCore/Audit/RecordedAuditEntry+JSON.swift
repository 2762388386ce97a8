import SCIM

extension RecordedAuditEntry {
    /// The entry as the read API (`GET /api/v1/audit`) and `roster audit --json` give it, keys sorted: `action`,
    /// `actor`, `actor_detail`, `actor_kind`, `address`, `after`, `at` (RFC 3339, UTC, milliseconds), `before`, `id`,
    /// `target` (`id`, `kind`, `name`). `before` and `after` are objects of strings (empty when there are none);
    /// absent values are `null`.
    public var jsonValue: JSONValue {
        .object(
            JSONObject([
                ("action", .string(entry.action.rawValue)),
                ("actor", .string(entry.actor.name)),
                ("actor_detail", entry.actor.detail.map(JSONValue.string) ?? .null),
                ("actor_kind", .string(entry.actor.kind.rawValue)),
                ("address", entry.actor.address.map(JSONValue.string) ?? .null),
                ("after", Self.object(entry.after)),
                ("at", .string(SCIMDateTime.format(millisecondsSince1970: at))),
                ("before", Self.object(entry.before)),
                ("id", .number(JSONNumber(Int(id)))),
                (
                    "target",
                    .object(
                        JSONObject([
                            ("id", .string(entry.target.id)), ("kind", .string(entry.target.kind)), ("name", .string(entry.target.name)),
                        ])
                    )
                ),
            ])
        )
    }

    private static func object(_ values: [String: String]) -> JSONValue {
        .object(JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
    }
}
