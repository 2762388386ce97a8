import PostgresNIO
import RosterCore
import RosterSQL
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
        let plan = ListPlan<PostgresDialect>(kind: kind, directoryID: directoryID, query: query)
        return try await snapshot { transaction in
            if plan.isExact {
                let total = try await PostgresStore.count(transaction, plan: plan)
                guard plan.hasRows(total: total) else { return ResourcePage(totalResults: total, resources: []) }
                let page = SQLCondition(sql: plan.pageSQL, values: plan.condition.values + plan.pageBounds)
                let records = try await transaction.rows(page.query).map { try PostgresResourceRow(row: $0, forResponse: forResponse) }
                let derived = includeDerived ? try await transaction.derived(kind, rowIDs: records.map(\.rowID)) : [:]
                return plan.page(total: total, records: records, derived: derived)
            }
            let matches = try await PostgresStore.evaluateInMemory(transaction, plan: plan)
            return plan.page(of: matches, includeDerived: includeDerived)
        }
    }

    /// How many resources match.
    public func count(_ kind: ResourceKind, directoryID: String, query: ListQuery) async throws -> Int {
        try query.filter?.validate(for: kind.schema)
        let plan = ListPlan<PostgresDialect>(kind: kind, directoryID: directoryID, query: query)
        if plan.isExact {
            return try await read { reader in try await PostgresStore.count(reader, plan: plan) }
        }
        return try await snapshot { transaction in try await PostgresStore.evaluateInMemory(transaction, plan: plan).count }
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
    private static func count(_ database: some PostgresQuerying, plan: ListPlan<PostgresDialect>) async throws -> Int {
        if !plan.isFiltered {
            let query = PostgresQuery(
                unsafeSQL:
                    "SELECT COALESCE(SUM(count), 0)::BIGINT FROM resource_count WHERE directory_id = $1 AND counter IN \(ResourceCounter.sqlList(of: plan.kind))",
                binds: try PostgresBindings.of(plan.directoryID)
            )
            guard let row = try await database.first(query) else { return 0 }
            return Int(try row.decode(Int64.self))
        }
        let statement = SQLCondition(sql: plan.countSQL, values: plan.condition.values)
        guard let row = try await database.first(statement.query) else { return 0 }
        return Int(try row.decode(Int64.self))
    }

    /// The matching rows, sorted, when the filter or the sort needs the protocol core (``InMemoryListing``).
    private static func evaluateInMemory(
        _ database: some PostgresQuerying,
        plan: ListPlan<PostgresDialect>
    ) async throws -> [(record: ResourceRecord, derived: JSONObject)] {
        let statement = SQLCondition(sql: plan.candidatesSQL, values: plan.condition.values)
        let records = try await database.rows(statement.query).map { try PostgresResourceRow(row: $0) }
        let derivedByRow = try await database.derived(plan.kind, rowIDs: records.map(\.rowID))
        return plan.matches(records, derived: derivedByRow)
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
