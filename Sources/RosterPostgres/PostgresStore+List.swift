import PostgresNIO
import RosterCore
import SCIM

extension PostgresStore {
    /// One page of matching resources, exactly as the SQLite store answers it. Filters and sorts on indexed
    /// attributes run as SQL with `COUNT(*)`; anything else is evaluated by the protocol core over the directory's
    /// rows (narrowed by whatever part of the filter does translate). Ties are broken by creation order, so pages
    /// are stable. Count, rows and memberships come from one snapshot, so they agree.
    public func list(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool) async throws -> ResourcePage {
        try await readPage(kind, directoryID: directoryID, query: query, includeDerived: includeDerived, forResponse: false)
    }

    /// One page for a response: documents in wire form stay unparsed when SQL alone answers the query. The
    /// `userName eq "…"` filter an identity provider sends before each create is one statement
    /// (``PostgresUserResponseRead``): `userName` is unique, so the count is whether the user exists.
    public func listForResponse(_ kind: ResourceKind, directoryID: String, query: ListQuery, includeDerived: Bool) async throws -> ResourcePage {
        guard kind == .user, includeDerived, query.sortBy == nil, let userName = query.filter.flatMap(UserNameEquality.value) else {
            return try await readPage(kind, directoryID: directoryID, query: query, includeDerived: includeDerived, forResponse: true)
        }
        let user = try await read { reader in
            try await reader.rows(PostgresUserResponseRead.ByUserName(key: userName.lowercased(), directoryID: directoryID)).first
        }
        guard let user else { return ResourcePage(totalResults: 0, resources: []) }
        return ResourcePage(totalResults: 1, resources: query.count > 0 && query.startIndex <= 1 ? [user] : [])
    }

    private func readPage(
        _ kind: ResourceKind,
        directoryID: String,
        query: ListQuery,
        includeDerived: Bool,
        forResponse: Bool
    ) async throws
        -> ResourcePage
    {
        try query.filter?.validate(for: kind.schema)
        let plan = PostgresListPlan(kind: kind, directoryID: directoryID, query: query)
        return try await snapshot { transaction in
            if plan.isExact {
                let total = try await PostgresStore.count(transaction, plan: plan)
                guard query.count > 0, query.startIndex <= total else { return ResourcePage(totalResults: total, resources: []) }
                let page = PostgresCondition(
                    sql:
                        "SELECT \(plan.table.selectColumns) FROM \(plan.from) WHERE \(plan.condition.sql) ORDER BY \(plan.order) LIMIT ? OFFSET ?",
                    values: plan.condition.values + [.integer(Int64(query.count)), .integer(Int64(query.startIndex - 1))]
                )
                let rows = try await transaction.rows(page.query).map { try PostgresResourceRow(row: $0, forResponse: forResponse) }
                let derived = includeDerived ? try await transaction.derived(kind, rowIDs: rows.map(\.rowID)) : [:]
                let resources = rows.map { $0.stored(kind, derived: derived[$0.rowID] ?? JSONObject()) }
                return ResourcePage(totalResults: total, resources: resources)
            }
            let matches = try await PostgresStore.evaluateInMemory(transaction, plan: plan, query: query)
            let page = matches.dropFirst(query.startIndex - 1).prefix(query.count)
            let resources = page.map { resource -> StoredResource in
                var stored = resource.row.stored(kind)
                if includeDerived { stored.derived = resource.derived }
                return stored
            }
            return ResourcePage(totalResults: matches.count, resources: resources)
        }
    }

    /// How many resources match.
    public func count(_ kind: ResourceKind, directoryID: String, query: ListQuery) async throws -> Int {
        try query.filter?.validate(for: kind.schema)
        let plan = PostgresListPlan(kind: kind, directoryID: directoryID, query: query)
        if plan.isExact {
            return try await read { reader in try await PostgresStore.count(reader, plan: plan) }
        }
        return try await snapshot { transaction in try await PostgresStore.evaluateInMemory(transaction, plan: plan, query: query).count }
    }

    /// Runs `body` in one read-only REPEATABLE READ transaction, so that its statements see one snapshot, as a
    /// SQLite read does (a read-only transaction never fails to serialize).
    private func snapshot<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await write { transaction in
            try await transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try await body(transaction)
        }
    }

    /// How many rows the plan's SQL condition matches: without a filter, the directory's count
    /// (``ResourceCounter``, kept by triggers in every write), else `COUNT(*)` over the filter's index.
    private static func count(_ database: some PostgresQuerying, plan: PostgresListPlan) async throws -> Int {
        if !plan.isFiltered {
            let query = PostgresQuery(
                unsafeSQL:
                    "SELECT COALESCE(SUM(count), 0)::BIGINT FROM resource_count WHERE directory_id = $1 AND counter IN \(ResourceCounter.sqlList(of: plan.kind))",
                binds: try PostgresBindings.of(plan.directoryID)
            )
            guard let row = try await database.first(query) else { return 0 }
            return Int(try row.decode(Int64.self))
        }
        let statement = PostgresCondition(sql: "SELECT COUNT(*) FROM \(plan.from) WHERE \(plan.condition.sql)", values: plan.condition.values)
        guard let row = try await database.first(statement.query) else { return 0 }
        return Int(try row.decode(Int64.self))
    }

    /// The matching rows, sorted, when the filter or the sort needs the protocol core (``InMemoryListing``).
    private static func evaluateInMemory(
        _ database: some PostgresQuerying,
        plan: PostgresListPlan,
        query: ListQuery
    ) async throws -> [(row: PostgresResourceRow, derived: JSONObject)] {
        let statement = PostgresCondition(
            sql: "SELECT \(plan.table.selectColumns) FROM \(plan.from) WHERE \(plan.condition.sql) ORDER BY \(plan.table.alias).row_id",
            values: plan.condition.values
        )
        let rows = try await database.rows(statement.query).map { try PostgresResourceRow(row: $0) }
        let derivedByRow = try await database.derived(plan.kind, rowIDs: rows.map(\.rowID))
        let candidates = rows.map { (record: $0, derived: derivedByRow[$0.rowID] ?? JSONObject()) }
        return InMemoryListing.evaluate(candidates, kind: plan.kind, query: query).map { ($0.record, $0.derived) }
    }
}

extension PostgresQuerying {
    /// The derived attributes of many resources in one query per kind, by row id: what ``derived(_:rowID:)``
    /// gives for each (a group's `members`, `[]` when empty; a user's `groups`, absent when none).
    fileprivate func derived(_ kind: ResourceKind, rowIDs: [Int64]) async throws -> [Int64: JSONObject] {
        guard !rowIDs.isEmpty else { return [:] }
        switch kind {
        case .group:
            var members: [Int64: [JSONValue]] = Dictionary(uniqueKeysWithValues: rowIDs.map { ($0, []) })
            let rows = try await rows(
                """
                SELECT m.group_row, u.id FROM group_member m JOIN scim_user u ON u.row_id = m.user_row
                WHERE m.group_row = ANY(\(rowIDs)) ORDER BY m.group_row, m.user_row
                """
            )
            for row in rows {
                let (group, id) = try row.decode((Int64, String).self)
                members[group, default: []].append(.object(JSONObject([("value", .string(id)), ("type", "User")])))
            }
            return members.mapValues { JSONObject([("members", .array($0))]) }
        case .user:
            var groups: [Int64: [JSONValue]] = [:]
            let rows = try await rows(
                """
                SELECT m.user_row, g.id, g.display_name FROM group_member m JOIN scim_group g ON g.row_id = m.group_row
                WHERE m.user_row = ANY(\(rowIDs)) ORDER BY m.user_row, m.group_row
                """
            )
            for row in rows {
                let (user, id, name) = try row.decode((Int64, String, String).self)
                groups[user, default: []].append(
                    .object(JSONObject([("value", .string(id)), ("display", .string(name)), ("type", "direct")]))
                )
            }
            return groups.mapValues { JSONObject([("groups", .array($0))]) }
        }
    }
}

/// How a list query runs on PostgreSQL: its SQL condition, whether that condition is the whole filter, and the
/// order; the same plan as the SQLite store's, so both answer alike.
struct PostgresListPlan {
    /// The most values one statement may bind (PostgreSQL's protocol counts them in 16 bits), less the two of
    /// LIMIT and OFFSET; a filter needing more is evaluated in memory.
    static let maximumValues = Int(UInt16.max) - 2

    /// The kind listed.
    let kind: ResourceKind
    /// The directory listed.
    let directoryID: String
    /// Whether the query has a filter (without one, the count is the directory's, ``ResourceCounter``).
    let isFiltered: Bool
    /// Its table.
    let table: ResourceTable
    /// The FROM clause.
    let from: String
    /// The directory condition and the translated filter.
    let condition: PostgresCondition
    /// Whether SQL alone answers the query (filter fully translated, sort on an indexed column or none).
    let isExact: Bool
    /// The ORDER BY clause for the SQL path.
    let order: String

    /// Plans `query` over the directory's resources of `kind`.
    init(kind: ResourceKind, directoryID: String, query: ListQuery) {
        self.kind = kind
        self.directoryID = directoryID
        isFiltered = query.filter != nil
        table = ResourceTable.of(kind)
        from = "\(table.name) \(table.alias)"
        let translator = PostgresFilter(table: table, directoryID: directoryID)
        var condition = PostgresCondition(sql: "\(table.alias).directory_id = ?", values: [.text(directoryID)])
        func fits(_ part: PostgresCondition) -> Bool {
            part.depth <= PostgresFilter.maximumDepth && part.values.count < PostgresListPlan.maximumValues
        }
        var exact = true
        if let filter = query.filter {
            if let whole = translator.translate(filter), fits(whole) {
                condition = PostgresCondition(sql: condition.sql + " AND " + whole.sql, values: condition.values + whole.values)
            } else {
                exact = false
                if let partial = translator.prefilter(filter), fits(partial) {
                    condition = PostgresCondition(sql: condition.sql + " AND " + partial.sql, values: condition.values + partial.values)
                }
            }
        }
        // Creation order, as in SQLite: without a filter by creation time then row (the directory-first created_at
        // index yields a page in that order), with one by row. SQLite sorts NULL first, PostgreSQL last by default.
        var order = query.filter == nil ? "\(table.alias).created_at, \(table.alias).row_id" : "\(table.alias).row_id"
        if let sortBy = query.sortBy {
            if let expression = translator.sortExpression(sortBy) {
                let direction = query.sortOrder == .ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST"
                order = "\(expression) \(direction), \(table.alias).row_id"
            } else {
                exact = false
            }
        }
        self.condition = condition
        self.isExact = exact
        self.order = order
    }
}
