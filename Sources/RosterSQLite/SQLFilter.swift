import GRDB
import RosterCore
import SCIM

/// A SQL condition with its arguments.
struct SQLCondition {
    /// The SQL text; never evaluates to NULL, so `NOT` keeps SCIM's meaning.
    var sql: String
    /// The bound arguments, in order.
    var arguments: [(any DatabaseValueConvertible)?]
    /// How deeply its parentheses nest (an upper bound); SQLite's parser refuses about 30 nested groups.
    var depth: Int

    /// A condition; `depth` 4 bounds every single comparison this file writes, sub-queries included.
    init(sql: String, arguments: [(any DatabaseValueConvertible)?], depth: Int = 4) {
        self.sql = sql
        self.arguments = arguments
        self.depth = depth
    }
}

/// Translates SCIM filters on indexed attributes into SQL over a resource table. A filter (or part of one) that
/// names anything else is not translated; the store then evaluates it in memory over the directory's rows, so every
/// filter answers correctly and the common ones use an index.
struct SQLFilter {
    /// The deepest nesting of a translated condition that is sent to SQLite; a deeper one (only a hostile filter
    /// nests like that) is evaluated in memory instead of failing in SQLite's parser.
    static let maximumDepth = 20

    /// The table the condition applies to.
    let table: ResourceTable
    /// The directory queried, bound in sub-queries so that they use the directory-first indexes.
    let directoryID: String

    /// The whole filter as SQL, or nil when some part of it cannot be translated.
    func translate(_ filter: Filter) -> SQLCondition? {
        switch filter {
        case .and, .or:
            let joiner = filter.isAnd ? "AND" : "OR"
            var parts: [SQLCondition] = []
            for operand in SQLFilter.operands(of: filter) {
                guard let part = translate(operand) else { return nil }
                parts.append(part)
            }
            return SQLFilter.balanced(parts, joiner: joiner)
        case .not(let inner):
            guard let condition = translate(inner) else { return nil }
            return SQLCondition(sql: "(NOT \(condition.sql))", arguments: condition.arguments, depth: condition.depth + 1)
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
    func prefilter(_ filter: Filter) -> SQLCondition? {
        if let whole = translate(filter) { return whole }
        guard case .and = filter else { return nil }
        let parts = SQLFilter.operands(of: filter).compactMap { prefilter($0) }
        return parts.isEmpty ? nil : SQLFilter.balanced(parts, joiner: "AND")
    }

    /// The operands of a chain of the same connective (`a or b or c`), left to right. The filter parser builds
    /// such chains as a tree as deep as the chain is long; this walks it without recursion.
    static func operands(of filter: Filter) -> [Filter] {
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
    static func balanced(_ parts: [SQLCondition], joiner: String) -> SQLCondition {
        guard parts.count > 1 else { return parts.first ?? SQLCondition(sql: "1", arguments: []) }
        let middle = parts.count / 2
        let left = balanced(Array(parts[..<middle]), joiner: joiner)
        let right = balanced(Array(parts[middle...]), joiner: joiner)
        return SQLCondition(
            sql: "(\(left.sql) \(joiner) \(right.sql))",
            arguments: left.arguments + right.arguments,
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
        case .text(let name, _)?: return SQLCondition(sql: "IFNULL(\(name) != '', 0)", arguments: [])
        case .boolean(let name)?, .time(let name)?: return SQLCondition(sql: "(\(name) IS NOT NULL)", arguments: [])
        case nil: return nil
        }
    }

    private func compare(_ path: AttributePath, _ comparison: ComparisonOperator, _ value: FilterValue) -> SQLCondition? {
        if case .null = value {
            guard let presence = present(path) else { return nil }
            return comparison == .eq ? SQLCondition(sql: "(NOT \(presence.sql))", arguments: []) : presence
        }
        if let exists = emailsOrMembers(path, inner: (comparison, value)) { return exists }
        switch column(for: path) {
        case .text(let name, let lowercased)?:
            guard let text = SQLFilter.text(value) else { return nil }
            return SQLFilter.textCondition(name, comparison, lowercased ? text.lowercased() : text)
        case .boolean(let name)?:
            guard let bool = SQLFilter.boolean(value), comparison == .eq || comparison == .ne else { return nil }
            return SQLCondition(sql: "(\(name) \(comparison == .eq ? "=" : "!=") ?)", arguments: [bool])
        case .time(let name)?:
            guard !comparison.isSubstring, let text = SQLFilter.text(value), let seconds = SCIMDateTime.instant(text) else { return nil }
            let milliseconds = Int64((seconds * 1000).rounded())
            let symbol = ["eq": "=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="][comparison.rawValue] ?? "="
            return SQLCondition(sql: "(\(name) \(symbol) ?)", arguments: [milliseconds])
        case nil:
            return nil
        }
    }

    /// `emails…` on users and `members…` on groups, as EXISTS over their index tables.
    private func emailsOrMembers(_ path: AttributePath, inner: (ComparisonOperator, FilterValue)?) -> SQLCondition? {
        let resolved = table.kind.schema.resolve(path)
        guard resolved.container == nil else { return nil }
        let sub = resolved.subName ?? "value"
        switch (table.kind, resolved.name) {
        case (.user, "emails"):
            guard sub == "value" || sub == "type" else { return nil }
            var conditions: [SQLCondition] = []
            if let (comparison, value) = inner {
                guard comparison != .ne, let text = SQLFilter.text(value),
                    let condition = SQLFilter.textCondition("e.\(sub)_key", comparison, text.lowercased())
                else { return nil }
                conditions.append(condition)
            }
            return emailExists(conditions)
        case (.group, "members"):
            guard sub == "value" else { return nil }
            guard let (comparison, value) = inner else {
                return SQLCondition(sql: "EXISTS (SELECT 1 FROM group_member m WHERE m.group_row = \(table.alias).row_id)", arguments: [])
            }
            guard comparison == .eq, let id = SQLFilter.text(value) else { return nil }
            return SQLCondition(
                sql: """
                    (\(table.alias).row_id IN (SELECT m.group_row FROM scim_user mu JOIN group_member m ON m.user_row = mu.row_id
                    WHERE mu.id = ? AND mu.directory_id = ?))
                    """,
                arguments: [id, directoryID]
            )
        default:
            return nil
        }
    }

    /// `emails[type eq "work" and value eq "x"]`: a conjunction of comparisons on `type` and `value`.
    private func valuePath(_ path: AttributePath, _ inner: Filter) -> SQLCondition? {
        let resolved = table.kind.schema.resolve(path)
        guard table.kind == .user, resolved.container == nil, resolved.name == "emails" else {
            if table.kind == .group, resolved.name == "members", let ids = SQLFilter.memberValues(inner), ids.count == 1 {
                return emailsOrMembers(AttributePath(attribute: "members", subAttribute: "value"), inner: (.eq, .string(ids[0])))
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
                guard name == "value" || name == "type", let text = SQLFilter.text(value),
                    let condition = SQLFilter.textCondition("e.\(name)_key", comparison, text.lowercased())
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
            arguments: [directoryID] + conditions.flatMap(\.arguments)
        )
    }

    private static func memberValues(_ filter: Filter) -> [String]? {
        guard case .comparison(let path, .eq, .string(let id)) = filter, path.attribute.lowercased() == "value" else { return nil }
        return [id]
    }

    /// A text comparison that is 0 or 1, never NULL.
    private static func textCondition(_ column: String, _ comparison: ComparisonOperator, _ text: String) -> SQLCondition? {
        switch comparison {
        // `column = ? AND column IS NOT NULL` is never NULL and, unlike IFNULL(…), lets SQLite use the index.
        case .eq: return SQLCondition(sql: "(\(column) = ? AND \(column) IS NOT NULL)", arguments: [text])
        case .ne: return SQLCondition(sql: "(NOT (\(column) = ? AND \(column) IS NOT NULL))", arguments: [text])
        case .co: return SQLCondition(sql: "IFNULL(instr(\(column), ?) > 0, 0)", arguments: [text])
        case .sw: return SQLCondition(sql: "IFNULL(substr(\(column), 1, length(?)) = ?, 0)", arguments: [text, text])
        case .ew:
            return SQLCondition(
                sql: "IFNULL(length(\(column)) >= length(?) AND substr(\(column), -length(?)) = ?, 0)",
                arguments: [text, text, text]
            )
        case .gt: return SQLCondition(sql: "IFNULL(\(column) > ?, 0)", arguments: [text])
        case .ge: return SQLCondition(sql: "IFNULL(\(column) >= ?, 0)", arguments: [text])
        case .lt: return SQLCondition(sql: "IFNULL(\(column) < ?, 0)", arguments: [text])
        case .le: return SQLCondition(sql: "IFNULL(\(column) <= ?, 0)", arguments: [text])
        }
    }

    private static func text(_ value: FilterValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number): number.text
        case .bool(let bool): bool ? "true" : "false"
        case .null: nil
        }
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

    /// The column a `sortBy` path orders by, when it is indexed.
    func sortColumn(_ path: AttributePath) -> String? {
        switch column(for: path) {
        case .text(let name, _)?, .boolean(let name)?, .time(let name)?: name
        case nil: nil
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
