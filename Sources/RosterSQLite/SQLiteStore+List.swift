import GRDB
import RosterCore
import SCIM

extension SQLiteStore {
    /// One page of matching resources. Filters and sorts on indexed attributes run as indexed SQL with `COUNT(*)`;
    /// anything else is evaluated by the protocol core over the directory's rows (narrowed by whatever part of the
    /// filter does translate). Ties are broken by creation order, so pages are stable.
    public func list(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool) async throws -> ResourcePage {
        try readPage(kind, directoryID: directoryID, query: query, includeDerived: includeDerived, forResponse: false)
    }

    /// One page for a response: documents in wire form stay unparsed when SQL alone answers the query. The
    /// `userName eq "…"` filter an identity provider sends before each create is one statement
    /// (``UserResponseRead``): `userName` is unique, so the count is whether the user exists.
    public func listForResponse(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool) async throws -> ResourcePage {
        guard kind == .user, query.sortBy == nil, let userName = query.filter.flatMap(UserNameEquality.value) else {
            return try readPage(kind, directoryID: directoryID, query: query, includeDerived: includeDerived, forResponse: true)
        }
        let user = try pointReaders.readOneStatement { db in
            try UserResponseRead.user(db, directoryID: directoryID, .userNameKey(userName.lowercased()), includeGroups: includeDerived)
        }
        guard let user else { return ResourcePage(totalResults: 0, resources: []) }
        return ResourcePage(totalResults: 1, resources: query.count > 0 && query.startIndex <= 1 ? [user] : [])
    }

    private func readPage(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool, forResponse: Bool) throws -> ResourcePage
    {
        try query.filter?.validate(for: kind.schema)
        return try readNow { db in
            let plan = ListPlan(kind: kind, directoryID: directoryID, query: query)
            if plan.isExact {
                let total = try SQLiteStore.count(db, plan: plan, query: query)
                guard query.count > 0, query.startIndex <= total else { return ResourcePage(totalResults: total, resources: []) }
                let rows = try Row.fetchAll(
                    plan.statement(
                        db,
                        sql:
                            "SELECT \(plan.table.selectColumns) FROM \(plan.from) WHERE \(plan.condition.sql) ORDER BY \(plan.order) LIMIT ? OFFSET ?"
                    ),
                    arguments: plan.arguments + StatementArguments([query.count, query.startIndex - 1])
                )
                let records = try rows.map { try ResourceRow(row: $0, forResponse: forResponse) }
                let derived = includeDerived ? try SQLiteStore.derived(db, kind, rows: records.map(\.rowID)) : [:]
                let resources = records.map { $0.stored(kind, derived: derived[$0.rowID] ?? JSONObject()) }
                return ResourcePage(totalResults: total, resources: resources)
            }
            let matches = try SQLiteStore.evaluateInMemory(db, plan: plan, query: query)
            let page = matches.dropFirst(query.startIndex - 1).prefix(query.count)
            let resources = page.map { resource -> StoredResource in
                var stored = resource.row.stored(kind)
                if includeDerived { stored.derived = resource.derived }
                return stored
            }
            return ResourcePage(totalResults: matches.count, resources: resources)
        }
    }

    /// The steps SQLite takes for the SQL part of a list query (`EXPLAIN QUERY PLAN`), to prove index use in tests.
    func queryPlan(_ kind: ResourceKind, directoryID: String, query: ListQuery) async throws -> [String] {
        try await writer.read { db in
            let plan = ListPlan(kind: kind, directoryID: directoryID, query: query)
            return try Row.fetchAll(
                db,
                sql: "EXPLAIN QUERY PLAN SELECT \(plan.table.selectColumns) FROM \(plan.from) WHERE \(plan.condition.sql) ORDER BY \(plan.order)",
                arguments: plan.arguments
            ).map { $0["detail"] }
        }
    }

    /// How many resources match.
    public func count(_ kind: ResourceKind, directoryID: String, query: ListQuery) async throws -> Int {
        try query.filter?.validate(for: kind.schema)
        return try readNow { db in
            let plan = ListPlan(kind: kind, directoryID: directoryID, query: query)
            if plan.isExact { return try SQLiteStore.count(db, plan: plan, query: query) }
            return try SQLiteStore.evaluateInMemory(db, plan: plan, query: query).count
        }
    }

    /// How many rows the plan's SQL condition matches: without a filter, the directory's count
    /// (``ResourceCounter``, kept by triggers in every write), else `COUNT(*)` over the filter's index.
    private static func count(_ db: Database, plan: ListPlan, query: ListQuery) throws -> Int {
        guard query.filter != nil else {
            let statement = try db.cachedStatement(
                sql:
                    "SELECT IFNULL(SUM(count), 0) FROM resource_count WHERE directory_id = ? AND counter IN \(ResourceCounter.sqlList(of: plan.kind))"
            )
            return try Int.fetchOne(statement, arguments: [plan.directoryID]) ?? 0
        }
        return try Int.fetchOne(plan.statement(db, sql: "SELECT COUNT(*) FROM \(plan.from) WHERE \(plan.condition.sql)"), arguments: plan.arguments)
            ?? 0
    }

    /// The matching rows, sorted, when the filter or the sort needs the protocol core (``InMemoryListing``).
    private static func evaluateInMemory(_ db: Database, plan: ListPlan, query: ListQuery) throws -> [(row: ResourceRow, derived: JSONObject)] {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT \(plan.table.selectColumns) FROM \(plan.from) WHERE \(plan.condition.sql) ORDER BY \(plan.table.alias).row_id",
            arguments: plan.arguments
        )
        let records = try rows.map { try ResourceRow(row: $0) }
        // Every candidate's groups (or members) in one statement, as PostgreSQL reads them, not one query per row.
        let derivedByRow = try derived(db, plan.kind, rows: records.map(\.rowID))
        let candidates = records.map { (record: $0, derived: derivedByRow[$0.rowID] ?? JSONObject()) }
        return InMemoryListing.evaluate(candidates, kind: plan.kind, query: query).map { ($0.record, $0.derived) }
    }
}

/// How a list query runs: its SQL condition, whether that condition is the whole filter, and the order.
struct ListPlan {
    /// The kind listed.
    let kind: ResourceKind
    /// The directory listed.
    let directoryID: String
    /// Its table.
    let table: ResourceTable
    /// The FROM clause.
    let from: String
    /// The directory condition and the translated filter.
    let condition: SQLCondition
    /// Whether SQL alone answers the query (filter fully translated, sort on an indexed column or none).
    let isExact: Bool
    /// The ORDER BY clause for the SQL path.
    let order: String

    /// Plans `query` over the directory's resources of `kind`.
    init(kind: ResourceKind, directoryID: String, query: ListQuery) {
        self.kind = kind
        self.directoryID = directoryID
        table = ResourceTable.of(kind)
        from = "\(table.name) \(table.alias)"
        let translator = SQLFilter(table: table, directoryID: directoryID)
        var condition = SQLCondition(sql: "\(table.alias).directory_id = ?", arguments: [directoryID])
        var exact = true
        if let filter = query.filter {
            if let whole = translator.translate(filter), whole.depth <= SQLFilter.maximumDepth {
                condition = SQLCondition(sql: condition.sql + " AND " + whole.sql, arguments: condition.arguments + whole.arguments)
            } else {
                exact = false
                if let partial = translator.prefilter(filter), partial.depth <= SQLFilter.maximumDepth {
                    condition = SQLCondition(sql: condition.sql + " AND " + partial.sql, arguments: condition.arguments + partial.arguments)
                }
            }
        }
        // Creation order. Without a filter, by creation time then row: the directory-first index on created_at
        // yields a page in that order without sorting the whole directory (its entries end with the row id). With
        // a filter, by row: the filter's own index finds the matches and only they are sorted (ordering by
        // created_at there can tempt SQLite into walking the directory's created_at index instead).
        var order = query.filter == nil ? "\(table.alias).created_at, \(table.alias).row_id" : "\(table.alias).row_id"
        if let sortBy = query.sortBy {
            if let column = translator.sortColumn(sortBy) {
                order = "\(column) \(query.sortOrder == .ascending ? "ASC" : "DESC"), \(table.alias).row_id"
            } else {
                exact = false
            }
        }
        self.condition = condition
        arguments = StatementArguments(condition.arguments.map { $0?.databaseValue ?? .null })
        self.isExact = exact
        self.order = order
    }

    /// A prepared statement for `sql`: kept in the connection's statement cache when the query has the shape of
    /// nearly every IdP request (no filter, or one comparison), compiled afresh otherwise, so that clients
    /// inventing filter shapes cannot grow the cache without bound.
    func statement(_ db: Database, sql: String) throws -> Statement {
        condition.arguments.count <= 2 ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    }

    /// The condition's arguments, as bound (made once: a page binds them twice, for its count and its rows).
    let arguments: StatementArguments
}
