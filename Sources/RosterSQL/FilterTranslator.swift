import RosterCore
import SCIM

/// Translates SCIM filters on indexed attributes into SQL over a resource table, in `Dialect`: one translation, so
/// that both stores answer alike. A filter (or part of one) that names anything else is not translated; the store
/// then evaluates it in memory over the directory's rows, so every filter answers correctly and the common ones use
/// an index.
public struct FilterTranslator<Dialect: SQLDialect>: Sendable {
    /// The deepest nesting of a translated condition that is sent to the database; a deeper one (only a hostile
    /// filter nests like that) is evaluated in memory instead of failing in SQLite's parser. PostgreSQL keeps
    /// SQLite's limit, so that both stores split a filter between SQL and memory alike.
    public static var maximumDepth: Int { 20 }

    /// The table the condition applies to.
    public let table: ResourceTable
    /// The directory queried, bound in sub-queries so that they use the directory-first indexes.
    public let directoryID: String

    /// A translator for filters on `table` within the directory `directoryID`.
    public init(table: ResourceTable, directoryID: String) {
        self.table = table
        self.directoryID = directoryID
    }

    /// The whole filter as SQL, or nil when some part of it cannot be translated.
    public func translate(_ filter: Filter) -> SQLCondition? {
        switch filter {
        case .and, .or:
            let joiner = filter.isAnd ? "AND" : "OR"
            var parts: [SQLCondition] = []
            for operand in Self.operands(of: filter) {
                guard let part = translate(operand) else { return nil }
                parts.append(part)
            }
            return Self.balanced(parts, joiner: joiner)
        case .not(let inner):
            guard let condition = translate(inner) else { return nil }
            return SQLCondition(sql: "(NOT \(condition.sql))", values: condition.values, depth: condition.depth + 1)
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
    public func prefilter(_ filter: Filter) -> SQLCondition? {
        if let whole = translate(filter) { return whole }
        guard case .and = filter else { return nil }
        let parts = Self.operands(of: filter).compactMap { prefilter($0) }
        return parts.isEmpty ? nil : Self.balanced(parts, joiner: "AND")
    }

    /// The ORDER BY expression for a `sortBy` path when it is indexed: text sorts bytewise
    /// (``SQLDialect/bytewise(_:)``), whatever the database's locale.
    public func sortExpression(_ path: AttributePath) -> String? {
        switch column(for: path) {
        case .text(let name, _)?: Dialect.bytewise(name)
        case .boolean(let name)?, .time(let name)?: name
        case nil: nil
        }
    }

    /// The operands of a chain of the same connective (`a or b or c`), left to right. The filter parser builds
    /// such chains as a tree as deep as the chain is long; this walks it without recursion.
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

    /// `parts` joined by `joiner`, parenthesized as a balanced tree: a chain of a thousand `or`s nests about ten
    /// levels deep instead of a thousand, which SQLite's parser (a fixed stack) and its expression depth limit
    /// would refuse.
    private static func balanced(_ parts: [SQLCondition], joiner: String) -> SQLCondition {
        guard parts.count > 1 else { return parts.first ?? SQLCondition(sql: Dialect.alwaysTrue, values: []) }
        let middle = parts.count / 2
        let left = balanced(Array(parts[..<middle]), joiner: joiner)
        let right = balanced(Array(parts[middle...]), joiner: joiner)
        return SQLCondition(
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

    private func present(_ path: AttributePath) -> SQLCondition? {
        if let exists = emailsOrMembers(path, inner: nil) { return exists }
        switch column(for: path) {
        case .text(let name, _)?: return SQLCondition(sql: Dialect.orFalse("\(name) \(Dialect.notEqual) ''"), values: [])
        case .boolean(let name)?, .time(let name)?: return SQLCondition(sql: "(\(name) IS NOT NULL)", values: [])
        case nil: return nil
        }
    }

    private func compare(_ path: AttributePath, _ comparison: ComparisonOperator, _ value: FilterValue) -> SQLCondition? {
        if case .null = value {
            guard let presence = present(path) else { return nil }
            return comparison == .eq ? SQLCondition(sql: "(NOT \(presence.sql))", values: presence.values) : presence
        }
        if let exists = emailsOrMembers(path, inner: (comparison, value)) { return exists }
        switch column(for: path) {
        case .text(let name, let lowercased)?:
            guard let text = Self.text(value) else { return nil }
            return Self.textCondition(name, comparison, lowercased ? text.lowercased() : text)
        case .boolean(let name)?:
            guard let bool = Self.boolean(value), comparison == .eq || comparison == .ne else { return nil }
            return SQLCondition(sql: "(\(name) \(comparison == .eq ? "=" : Dialect.notEqual) ?)", values: [.boolean(bool)])
        case .time(let name)?:
            guard !comparison.isSubstring, let literal = value.text, let seconds = SCIMDateTime.instant(literal) else {
                return nil
            }
            let milliseconds = Int64((seconds * 1000).rounded())
            let symbol = ["eq": "=", "ne": Dialect.notEqual, "gt": ">", "ge": ">=", "lt": "<", "le": "<="][comparison.rawValue] ?? "="
            return SQLCondition(sql: "(\(name) \(symbol) ?)", values: [.integer(milliseconds)])
        case nil:
            return nil
        }
    }

    /// `emails…` on users and `members…` on groups, as sub-queries over their index tables.
    private func emailsOrMembers(_ path: AttributePath, inner: (ComparisonOperator, FilterValue)?) -> SQLCondition? {
        let resolved = table.kind.schema.resolve(path)
        guard resolved.container == nil else { return nil }
        let sub = resolved.subName ?? "value"
        switch (table.kind, resolved.name) {
        case (.user, "emails"):
            guard sub == "value" || sub == "type" else { return nil }
            var conditions: [SQLCondition] = []
            if let (comparison, value) = inner {
                guard comparison != .ne, let text = Self.text(value),
                    let condition = Self.textCondition("e.\(sub)_key", comparison, text.lowercased())
                else { return nil }
                conditions.append(condition)
            }
            return emailExists(conditions)
        case (.group, "members"):
            guard sub == "value" else { return nil }
            guard let (comparison, value) = inner else {
                return SQLCondition(sql: "EXISTS (SELECT 1 FROM group_member m WHERE m.group_row = \(table.alias).row_id)", values: [])
            }
            guard comparison == .eq, let id = Self.text(value) else { return nil }
            return SQLCondition(
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
    private func valuePath(_ path: AttributePath, _ inner: Filter) -> SQLCondition? {
        let resolved = table.kind.schema.resolve(path)
        guard table.kind == .user, resolved.container == nil, resolved.name == "emails" else {
            if table.kind == .group, resolved.name == "members", let id = Self.memberValue(inner) {
                return emailsOrMembers(AttributePath(attribute: "members", subAttribute: "value"), inner: (.eq, .string(id)))
            }
            return nil
        }
        var conditions: [SQLCondition] = []
        var pending = [inner]
        while let next = pending.popLast() {
            switch next {
            case .and(let left, let right):
                pending.append(contentsOf: [left, right])
            case .comparison(let sub, let comparison, let value) where sub.schemaURN == nil && sub.subAttribute == nil && comparison != .ne:
                let name = sub.attribute.lowercased()
                guard name == "value" || name == "type", let text = Self.text(value),
                    let condition = Self.textCondition("e.\(name)_key", comparison, text.lowercased())
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
    private func emailExists(_ conditions: [SQLCondition]) -> SQLCondition {
        let clause = conditions.map { " AND " + $0.sql }.joined()
        return SQLCondition(
            sql: "(\(table.alias).row_id IN (SELECT e.user_row FROM scim_user_email e WHERE e.directory_id = ?\(clause)))",
            values: [.text(directoryID)] + conditions.flatMap(\.values)
        )
    }

    /// The id of `members[value eq "id"]`.
    private static func memberValue(_ filter: Filter) -> String? {
        guard case .comparison(let path, .eq, .string(let id)) = filter, path.attribute.lowercased() == "value" else { return nil }
        return id
    }

    /// A text comparison that is never NULL (0 or 1 in SQLite, TRUE or FALSE in PostgreSQL), comparing bytes as
    /// SQLite does.
    private static func textCondition(_ column: String, _ comparison: ComparisonOperator, _ text: String) -> SQLCondition? {
        func predicate(_ sql: String) -> SQLCondition {
            // Every placeholder of a dialect's text predicate is the text (``SQLDialect``).
            SQLCondition(sql: Dialect.orFalse(sql), values: Array(repeating: .text(text), count: sql.filter { $0 == "?" }.count))
        }
        switch comparison {
        // `column = ? AND column IS NOT NULL` is never NULL and, unlike IFNULL(…) or COALESCE(…), lets the database
        // use the index.
        case .eq: return SQLCondition(sql: "(\(column) = ? AND \(column) IS NOT NULL)", values: [.text(text)])
        case .ne: return SQLCondition(sql: "(NOT (\(column) = ? AND \(column) IS NOT NULL))", values: [.text(text)])
        case .co: return predicate(Dialect.contains(column))
        case .sw: return predicate(Dialect.startsWith(column))
        case .ew: return predicate(Dialect.endsWith(column, emptyText: text.isEmpty))
        case .gt: return predicate("\(Dialect.bytewise(column)) > ?")
        case .ge: return predicate("\(Dialect.bytewise(column)) >= ?")
        case .lt: return predicate("\(Dialect.bytewise(column)) < ?")
        case .le: return predicate("\(Dialect.bytewise(column)) <= ?")
        }
    }

    /// The literal as bound text, up to its first NUL character: GRDB binds a Swift string as a C string, so SQLite
    /// compares with the value cut there, and PostgreSQL's TEXT cannot hold a NUL at all (binding one fails).
    private static func text(_ value: FilterValue) -> String? {
        guard let text = value.text else { return nil }
        guard let nul = text.unicodeScalars.firstIndex(of: "\u{0}") else { return text }
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
