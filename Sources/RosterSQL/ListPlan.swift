import RosterCore
import SCIM

/// How a list query runs, in `Dialect`: its SQL condition, whether that condition is the whole filter, and the
/// order; one plan for both stores, so that both answer alike.
public struct ListPlan<Dialect: SQLDialect>: Sendable {
    /// The kind listed.
    public let kind: ResourceKind
    /// The directory listed.
    public let directoryID: String
    /// The query planned.
    public let query: ListQuery
    /// Its table.
    public let table: ResourceTable
    /// The FROM clause.
    public let from: String
    /// The directory condition and the translated filter.
    public let condition: SQLCondition
    /// Whether SQL alone answers the query (filter fully translated, sort on an indexed column or none).
    public let isExact: Bool
    /// The ORDER BY clause for the SQL path.
    public let order: String

    /// Plans `query` over the directory's resources of `kind`.
    public init(kind: ResourceKind, directoryID: String, query: ListQuery) {
        self.kind = kind
        self.directoryID = directoryID
        self.query = query
        table = ResourceTable.of(kind)
        from = "\(table.name) \(table.alias)"
        let translator = FilterTranslator<Dialect>(table: table, directoryID: directoryID)
        var condition = SQLCondition(sql: "\(table.alias).directory_id = ?", values: [.text(directoryID)])
        func fits(_ part: SQLCondition) -> Bool {
            part.depth <= FilterTranslator<Dialect>.maximumDepth && part.values.count < Dialect.maximumValues
        }
        var exact = true
        if let filter = query.filter {
            if let whole = translator.translate(filter), fits(whole) {
                condition = SQLCondition(sql: condition.sql + " AND " + whole.sql, values: condition.values + whole.values)
            } else {
                exact = false
                if let partial = translator.prefilter(filter), fits(partial) {
                    condition = SQLCondition(sql: condition.sql + " AND " + partial.sql, values: condition.values + partial.values)
                }
            }
        }
        // Creation order. Without a filter, by creation time then row: the directory-first index on created_at
        // yields a page in that order without sorting the whole directory (its entries end with the row id). With
        // a filter, by row: the filter's own index finds the matches and only they are sorted (ordering by
        // created_at there can tempt SQLite into walking the directory's created_at index instead).
        var order = query.filter == nil ? "\(table.alias).created_at, \(table.alias).row_id" : "\(table.alias).row_id"
        if let sortBy = query.sortBy {
            if let expression = translator.sortExpression(sortBy) {
                order = "\(expression) \(Dialect.sortDirection(query.sortOrder)), \(table.alias).row_id"
            } else {
                exact = false
            }
        }
        self.condition = condition
        self.isExact = exact
        self.order = order
    }

    /// Whether the query has a filter (without one, the count is the directory's, ``ResourceCounter``).
    public var isFiltered: Bool {
        query.filter != nil
    }

    /// The matching rows in the plan's order (the SQL path); its placeholders are the condition's.
    public var orderedSQL: String {
        "SELECT \(table.selectColumns) FROM \(from) WHERE \(condition.sql) ORDER BY \(order)"
    }

    /// One page of ``orderedSQL``: its placeholders are the condition's, then LIMIT and OFFSET (``pageBounds``).
    public var pageSQL: String {
        orderedSQL + " LIMIT ? OFFSET ?"
    }

    /// How many rows the condition matches; its placeholders are the condition's.
    public var countSQL: String {
        "SELECT COUNT(*) FROM \(from) WHERE \(condition.sql)"
    }

    /// The candidates for evaluation in memory: the rows the condition matches, by row; its placeholders are the
    /// condition's.
    public var candidatesSQL: String {
        "SELECT \(table.selectColumns) FROM \(from) WHERE \(condition.sql) ORDER BY \(table.alias).row_id"
    }

    /// The LIMIT and OFFSET of the query's page, which ``pageSQL`` binds after the condition's values.
    public var pageBounds: [SQLValue] {
        [.integer(Int64(query.count)), .integer(Int64(query.startIndex - 1))]
    }

    /// Whether the page has rows to read when `total` resources match: the query asks for some, from within the
    /// matches.
    public func hasRows(total: Int) -> Bool {
        query.count > 0 && query.startIndex <= total
    }

    /// The page of the SQL path: `records` (the rows of ``pageSQL``) with their `derived` attributes by row id, and
    /// the `total` matches.
    public func page(total: Int, records: [ResourceRecord], derived: [Int64: JSONObject]) -> ResourcePage {
        ResourcePage(totalResults: total, resources: records.map { $0.stored(kind, derived: derived[$0.rowID] ?? JSONObject()) })
    }

    /// The candidates (the rows of ``candidatesSQL``) that match the query, sorted by it (``InMemoryListing``),
    /// each with its derived attributes from `derived`, by row id.
    public func matches(_ records: [ResourceRecord], derived: [Int64: JSONObject]) -> [(record: ResourceRecord, derived: JSONObject)] {
        let candidates = records.map { (record: $0, derived: derived[$0.rowID] ?? JSONObject()) }
        return InMemoryListing.evaluate(candidates, kind: kind, query: query)
    }

    /// The page the query asks for of the `matches` evaluated in memory, with their derived attributes when
    /// `includeDerived`.
    public func page(of matches: [(record: ResourceRecord, derived: JSONObject)], includeDerived: Bool) -> ResourcePage {
        let page = matches.dropFirst(query.startIndex - 1).prefix(query.count)
        let resources = page.map { match -> StoredResource in
            var stored = match.record.stored(kind)
            if includeDerived { stored.derived = match.derived }
            return stored
        }
        return ResourcePage(totalResults: matches.count, resources: resources)
    }
}
