import PostgresNIO
import RosterCore
import SCIM

/// A value bound to one parameter of a ``PostgresCondition``.
enum PostgresFilterValue: Sendable {
    /// A TEXT value.
    case text(String)
    /// A BOOLEAN value.
    case boolean(Bool)
    /// A BIGINT value (times in milliseconds, row counts).
    case integer(Int64)

    /// Appends the value to `binds` with its PostgreSQL type.
    func append(to binds: inout PostgresBindings) {
        switch self {
        case .text(let text): binds.append(text)
        case .boolean(let bool): binds.append(bool)
        case .integer(let integer): binds.append(integer)
        }
    }
}

/// A SQL condition (or a whole statement) with its bound values.
struct PostgresCondition {
    /// The SQL text with a `?` where each value is bound, in order. Only this file and the list plan write it, from
    /// constants and column names (user text is always a bound value), so a `?` is never anything but a placeholder.
    /// A condition never evaluates to NULL, so `NOT` keeps SCIM's meaning.
    var sql: String
    /// The bound values, in the order of their placeholders.
    var values: [PostgresFilterValue]
    /// How deeply its parentheses nest (an upper bound), limited like SQLite's so both stores send the same part of
    /// a filter to SQL.
    var depth: Int

    /// A condition; `depth` 4 bounds every single comparison this file writes, sub-queries included.
    init(sql: String, values: [PostgresFilterValue], depth: Int = 4) {
        self.sql = sql
        self.values = values
        self.depth = depth
    }

    /// The query to run: each `?` numbered as `$1`, `$2`… in order, and the values as its bindings.
    var query: PostgresQuery {
        var numbered = ""
        numbered.reserveCapacity(sql.utf8.count + values.count * 4)
        var placeholders = 0
        for character in sql {
            if character == "?" {
                placeholders += 1
                numbered += "$\(placeholders)"
            } else {
                numbered.append(character)
            }
        }
        assert(placeholders == values.count, "\(placeholders) placeholders for \(values.count) values")
        var binds = PostgresBindings(capacity: values.count)
        for value in values { value.append(to: &binds) }
        return PostgresQuery(unsafeSQL: numbered, binds: binds)
    }
}

/// Translates SCIM filters on indexed attributes into PostgreSQL conditions over a resource table, answering
/// exactly as the SQLite store's `SQLFilter` does. A filter (or part of one) that names anything else is not
/// translated; the store then evaluates it in memory over the directory's rows.
///
/// The dialect: text compares bytewise as in SQLite (`=` is bytewise under any deterministic collation; ranges and
/// sorting use `COLLATE "C"`, so an ICU or en_US database orders as SQLite does); substring tests use
/// `strpos`/`left`/`right`, so `%`, `_` and `\` in a value are plain characters; booleans are BOOLEAN; a NULL
/// column makes a comparison FALSE through `COALESCE`.
struct PostgresFilter {
    /// The deepest nesting of a translated condition sent to PostgreSQL: SQLite's limit, so that both stores
    /// split a filter between SQL and memory alike.
    static let maximumDepth = 20

    /// The table the condition applies to.
    let table: ResourceTable
    /// The directory queried, bound in sub-queries so that they use the directory-first indexes.
    let directoryID: String

    /// The whole filter as SQL, or nil when some part of it cannot be translated.
    func translate(_ filter: Filter) -> PostgresCondition? {
        switch filter {
        case .and, .or:
            let joiner = filter.isAnd ? "AND" : "OR"
            var parts: [PostgresCondition] = []
            for operand in PostgresFilter.operands(of: filter) {
                guard let part = translate(operand) else { return nil }
                parts.append(part)
            }
            return PostgresFilter.balanced(parts, joiner: joiner)
        case .not(let inner):
            guard let condition = translate(inner) else { return nil }
            return PostgresCondition(sql: "(NOT \(condition.sql))", values: condition.values, depth: condition.depth + 1)
        case .present(let path):
            return present(path)
        case .comparison(let path, let comparison, let value):
            return compare(path, comparison, value)
        case .valuePath(let path, let inner):
            return valuePath(path, inner)
        }
    }

    /// The translatable conjuncts of a filter joined by AND: a condition every match satisfies (a pre-filter for
    /// in-memory evaluation); nil when no part translates.
    func prefilter(_ filter: Filter) -> PostgresCondition? {
        if let whole = translate(filter) { return whole }
        guard case .and = filter else { return nil }
        let parts = PostgresFilter.operands(of: filter).compactMap { prefilter($0) }
        return parts.isEmpty ? nil : PostgresFilter.balanced(parts, joiner: "AND")
    }

    /// The ORDER BY expression for a `sortBy` path when it is indexed: text sorts bytewise (`COLLATE "C"`), as
    /// SQLite's BINARY collation does, whatever the database's locale.
    func sortExpression(_ path: AttributePath) -> String? {
        switch column(for: path) {
        case .text(let name, _)?: "\(name) COLLATE \"C\""
        case .boolean(let name)?, .time(let name)?: name
        case nil: nil
        }
    }

    /// The operands of a chain of the same connective (`a or b or c`), left to right, walked without recursion
    /// (the parser builds such a chain as a tree as deep as it is long).
    private static func operands(of filter: Filter) -> [Filter] {
        let isAnd = filter.isAnd
        var operands: [Filter] = []
        var pending = [filter]
        while let next = pending.popLast() {
            switch next {
            case .and(let left, let right) where isAnd, .or(let left, let right) where !isAnd:
                pending.append(right)
                pending.append(left)
            default:
                operands.append(next)
            }
        }
        return operands
    }

    /// `parts` joined by `joiner`, parenthesized as a balanced tree, so that a long chain nests shallowly.
    private static func balanced(_ parts: [PostgresCondition], joiner: String) -> PostgresCondition {
        guard parts.count > 1 else { return parts.first ?? PostgresCondition(sql: "TRUE", values: []) }
        let middle = parts.count / 2
        let left = balanced(Array(parts[..<middle]), joiner: joiner)
        let right = balanced(Array(parts[middle...]), joiner: joiner)
        return PostgresCondition(
            sql: "(\(left.sql) \(joiner) \(right.sql))",
            values: left.values + right.values,
            depth: max(left.depth, right.depth) + 1
        )
    }

    /// The column an attribute is indexed in, how it compares, and whether the stored value is lowercased.
    private enum Column {
        case text(String, lowercased: Bool)
        case boolean(String)
        case time(String)
    }

    private func column(for path: AttributePath) -> Column? {
        let resolved = table.kind.schema.resolve(path)
        guard resolved.container == nil else { return nil }
        let alias = table.alias
        switch (table.kind, resolved.name, resolved.subName) {
        case (_, "id", nil): return .text("\(alias).id", lowercased: false)
        case (_, "externalId", nil): return .text("\(alias).external_id", lowercased: false)
        case (.user, "userName", nil): return .text("\(alias).user_name_key", lowercased: true)
        case (_, "displayName", nil): return .text("\(alias).display_name_key", lowercased: true)
        case (.user, "active", nil): return .boolean("\(alias).active")
        case (_, "meta", "created"?): return .time("\(alias).created_at")
        case (_, "meta", "lastModified"?): return .time("\(alias).modified_at")
        default: return nil
        }
    }

    private func present(_ path: AttributePath) -> PostgresCondition? {
        if let exists = emailsOrMembers(path, inner: nil) { return exists }
        switch column(for: path) {
        case .text(let name, _)?: return PostgresCondition(sql: "COALESCE(\(name) <> '', FALSE)", values: [])
        case .boolean(let name)?, .time(let name)?: return PostgresCondition(sql: "(\(name) IS NOT NULL)", values: [])
        case nil: return nil
        }
    }

    private func compare(_ path: AttributePath, _ comparison: ComparisonOperator, _ value: FilterValue) -> PostgresCondition? {
        if case .null = value {
            guard let presence = present(path) else { return nil }
            return comparison == .eq ? PostgresCondition(sql: "(NOT \(presence.sql))", values: []) : presence
        }
        if let exists = emailsOrMembers(path, inner: (comparison, value)) { return exists }
        switch column(for: path) {
        case .text(let name, let lowercased)?:
            guard let text = PostgresFilter.text(value) else { return nil }
            return PostgresFilter.textCondition(name, comparison, lowercased ? text.lowercased() : text)
        case .boolean(let name)?:
            guard let bool = PostgresFilter.boolean(value), comparison == .eq || comparison == .ne else { return nil }
            return PostgresCondition(sql: "(\(name) \(comparison == .eq ? "=" : "<>") ?)", values: [.boolean(bool)])
        case .time(let name)?:
            guard !comparison.isSubstring, let text = PostgresFilter.text(value), let seconds = SCIMDateTime.instant(text) else { return nil }
            let milliseconds = Int64((seconds * 1000).rounded())
            let symbol = ["eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="][comparison.rawValue] ?? "="
            return PostgresCondition(sql: "(\(name) \(symbol) ?)", values: [.integer(milliseconds)])
        case nil:
            return nil
        }
    }

    /// `emails…` on users and `members…` on groups, as sub-queries over their index tables.
    private func emailsOrMembers(_ path: AttributePath, inner: (ComparisonOperator, FilterValue)?) -> PostgresCondition? {
        let resolved = table.kind.schema.resolve(path)
        guard resolved.container == nil else { return nil }
        let sub = resolved.subName ?? "value"
        switch (table.kind, resolved.name) {
        case (.user, "emails"):
            guard sub == "value" || sub == "type" else { return nil }
            var conditions: [PostgresCondition] = []
            if let (comparison, value) = inner {
                guard comparison != .ne, let text = PostgresFilter.text(value),
                    let condition = PostgresFilter.textCondition("e.\(sub)_key", comparison, text.lowercased())
                else { return nil }
                conditions.append(condition)
            }
            return emailExists(conditions)
        case (.group, "members"):
            guard sub == "value" else { return nil }
            guard let (comparison, value) = inner else {
                return PostgresCondition(sql: "EXISTS (SELECT 1 FROM group_member m WHERE m.group_row = \(table.alias).row_id)", values: [])
            }
            guard comparison == .eq, let id = PostgresFilter.text(value) else { return nil }
            return PostgresCondition(
                sql: """
                    (\(table.alias).row_id IN (SELECT m.group_row FROM scim_user mu JOIN group_member m ON m.user_row = mu.row_id
                    WHERE mu.id = ? AND mu.directory_id = ?))
                    """,
                values: [.text(id), .text(directoryID)]
            )
        default:
            return nil
        }
    }

    /// `emails[type eq "work" and value eq "x"]`: a conjunction of comparisons on `type` and `value`.
    private func valuePath(_ path: AttributePath, _ inner: Filter) -> PostgresCondition? {
        let resolved = table.kind.schema.resolve(path)
        guard table.kind == .user, resolved.container == nil, resolved.name == "emails" else {
            if table.kind == .group, resolved.name == "members", let id = PostgresFilter.memberValue(inner) {
                return emailsOrMembers(AttributePath(attribute: "members", subAttribute: "value"), inner: (.eq, .string(id)))
            }
            return nil
        }
        var conditions: [PostgresCondition] = []
        var pending = [inner]
        while let next = pending.popLast() {
            switch next {
            case .and(let left, let right):
                pending.append(contentsOf: [left, right])
            case .comparison(let sub, let comparison, let value) where sub.schemaURN == nil && sub.subAttribute == nil && comparison != .ne:
                let name = sub.attribute.lowercased()
                guard name == "value" || name == "type", let text = PostgresFilter.text(value),
                    let condition = PostgresFilter.textCondition("e.\(name)_key", comparison, text.lowercased())
                else { return nil }
                conditions.append(condition)
            default:
                return nil
            }
        }
        return emailExists(conditions)
    }

    /// Users with an email matching every condition; the sub-query drives the lookup through the
    /// (directory, value) index instead of scanning the directory's users.
    private func emailExists(_ conditions: [PostgresCondition]) -> PostgresCondition {
        let clause = conditions.map { " AND " + $0.sql }.joined()
        return PostgresCondition(
            sql: "(\(table.alias).row_id IN (SELECT e.user_row FROM scim_user_email e WHERE e.directory_id = ?\(clause)))",
            values: [.text(directoryID)] + conditions.flatMap(\.values)
        )
    }

    /// The id of `members[value eq "id"]`.
    private static func memberValue(_ filter: Filter) -> String? {
        guard case .comparison(let path, .eq, .string(let id)) = filter, path.attribute.lowercased() == "value" else { return nil }
        return id
    }

    /// A text comparison that is TRUE or FALSE, never NULL, comparing bytes as SQLite does.
    private static func textCondition(_ column: String, _ comparison: ComparisonOperator, _ text: String) -> PostgresCondition? {
        switch comparison {
        // `column = ? AND column IS NOT NULL` is never NULL and, unlike COALESCE(…), lets PostgreSQL use the index.
        case .eq: return PostgresCondition(sql: "(\(column) = ? AND \(column) IS NOT NULL)", values: [.text(text)])
        case .ne: return PostgresCondition(sql: "(NOT (\(column) = ? AND \(column) IS NOT NULL))", values: [.text(text)])
        case .co: return PostgresCondition(sql: "COALESCE(strpos(\(column), ?) > 0, FALSE)", values: [.text(text)])
        case .sw: return PostgresCondition(sql: "COALESCE(left(\(column), length(?)) = ?, FALSE)", values: [.text(text), .text(text)])
        case .ew where text.isEmpty:
            // SQLite's `substr(x, -0)` is all of x, so there `ew ""` matches only empty values; the same here.
            return PostgresCondition(sql: "COALESCE(\(column) = ?, FALSE)", values: [.text(text)])
        case .ew: return PostgresCondition(sql: "COALESCE(right(\(column), length(?)) = ?, FALSE)", values: [.text(text), .text(text)])
        case .gt: return PostgresCondition(sql: "COALESCE(\(column) COLLATE \"C\" > ?, FALSE)", values: [.text(text)])
        case .ge: return PostgresCondition(sql: "COALESCE(\(column) COLLATE \"C\" >= ?, FALSE)", values: [.text(text)])
        case .lt: return PostgresCondition(sql: "COALESCE(\(column) COLLATE \"C\" < ?, FALSE)", values: [.text(text)])
        case .le: return PostgresCondition(sql: "COALESCE(\(column) COLLATE \"C\" <= ?, FALSE)", values: [.text(text)])
        }
    }

    /// The literal as text, up to its first NUL character: GRDB binds a Swift string as a C string, so SQLite
    /// compares with the value cut there, and PostgreSQL's TEXT cannot hold a NUL at all (binding one fails).
    private static func text(_ value: FilterValue) -> String? {
        let text: String? =
            switch value {
            case .string(let text): text
            case .number(let number): number.text
            case .bool(let bool): bool ? "true" : "false"
            case .null: nil
            }
        guard let text, let nul = text.unicodeScalars.firstIndex(of: "\u{0}") else { return text }
        return String(text.unicodeScalars[..<nul])
    }

    private static func boolean(_ value: FilterValue) -> Bool? {
        switch value {
        case .bool(let bool): return bool
        case .string(let text):
            if text.lowercased() == "true" { return true }
            if text.lowercased() == "false" { return false }
            return nil
        default: return nil
        }
    }
}

extension Filter {
    /// Whether this is an `and`.
    fileprivate var isAnd: Bool {
        if case .and = self { return true }
        return false
    }
}
