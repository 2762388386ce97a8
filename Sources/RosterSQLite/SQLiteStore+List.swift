import GRDB
import RosterCore
import RosterSQL
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
            let plan = ListPlan<SQLiteDialect>(kind: kind, directoryID: directoryID, query: query)
            if plan.isExact {
                // The condition's arguments, made once: a page binds them twice, for its count and its rows.
                let arguments = plan.condition.arguments
                let total = try SQLiteStore.count(db, plan: plan, arguments: arguments)
                guard plan.hasRows(total: total) else { return ResourcePage(totalResults: total, resources: []) }
                let rows = try Row.fetchAll(
                    plan.statement(db, sql: plan.pageSQL),
                    arguments: arguments + StatementArguments(plan.pageBounds.map(\.databaseValue))
                )
                let records = try rows.map { try ResourceRow(row: $0, forResponse: forResponse) }
                let derived = includeDerived ? try SQLiteStore.derived(db, kind, rows: records.map(\.rowID)) : [:]
                return plan.page(total: total, records: records, derived: derived)
            }
            let matches = try SQLiteStore.evaluateInMemory(db, plan: plan)
            return plan.page(of: matches, includeDerived: includeDerived)
        }
    }

    /// The steps SQLite takes for the SQL part of a list query (`EXPLAIN QUERY PLAN`), to prove index use in tests.
    func queryPlan(_ kind: ResourceKind, directoryID: String, query: ListQuery) async throws -> [String] {
        try await writer.read { db in
            let plan = ListPlan<SQLiteDialect>(kind: kind, directoryID: directoryID, query: query)
            let explain = "EXPLAIN QUERY PLAN " + plan.orderedSQL
            return try Row.fetchAll(db, sql: explain, arguments: plan.condition.arguments).map { $0["detail"] }
        }
    }

    /// How many resources match.
    public func count(_ kind: ResourceKind, directoryID: String, query: ListQuery) async throws -> Int {
        try query.filter?.validate(for: kind.schema)
        return try readNow { db in
            let plan = ListPlan<SQLiteDialect>(kind: kind, directoryID: directoryID, query: query)
            if plan.isExact { return try SQLiteStore.count(db, plan: plan, arguments: plan.condition.arguments) }
            return try SQLiteStore.evaluateInMemory(db, plan: plan).count
        }
    }

    /// How many rows the plan's SQL condition matches (bound with `arguments`): without a filter, the directory's
    /// count (``ResourceCounter``, kept by triggers in every write), else `COUNT(*)` over the filter's index.
    private static func count(_ db: Database, plan: ListPlan<SQLiteDialect>, arguments: StatementArguments) throws -> Int {
        guard plan.isFiltered else {
            let statement = try db.cachedStatement(
                sql:
                    "SELECT IFNULL(SUM(count), 0) FROM resource_count WHERE directory_id = ? AND counter IN \(ResourceCounter.sqlList(of: plan.kind))"
            )
            return try Int.fetchOne(statement, arguments: [plan.directoryID]) ?? 0
        }
        return try Int.fetchOne(plan.statement(db, sql: plan.countSQL), arguments: arguments) ?? 0
    }

    /// The matching rows, sorted, when the filter or the sort needs the protocol core (``InMemoryListing``).
    private static func evaluateInMemory(
        _ db: Database,
        plan: ListPlan<SQLiteDialect>
    ) throws -> [(record: ResourceRecord, derived: JSONObject)] {
        let rows = try Row.fetchAll(db, sql: plan.candidatesSQL, arguments: plan.condition.arguments)
        let records = try rows.map { try ResourceRow(row: $0) }
        // Every candidate's groups (or members) in one statement, as PostgreSQL reads them, not one query per row.
        let derivedByRow = try derived(db, plan.kind, rows: records.map(\.rowID))
        return plan.matches(records, derived: derivedByRow)
    }
}

extension ListPlan where Dialect == SQLiteDialect {
    /// A prepared statement for `sql`: kept in the connection's statement cache when the query has the shape of
    /// nearly every IdP request (no filter, or one comparison), compiled afresh otherwise, so that clients
    /// inventing filter shapes cannot grow the cache without bound.
    func statement(_ db: Database, sql: String) throws -> Statement {
        condition.values.count <= 2 ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    }
}
