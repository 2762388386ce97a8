import SCIM

/// The part of a list query that SQL cannot answer, decided once for every store: the protocol core's filter over
/// each candidate's full representation, then `sortBy` on the attribute's primary (or first) value with missing
/// values last, ties broken by row. Stores narrow the candidates with whatever part of the filter translates.
public enum InMemoryListing {
    /// The candidates that match `query`'s filter, in `query`'s order; each is a record with its derived
    /// attributes.
    public static func evaluate(
        _ candidates: [(record: ResourceRecord, derived: JSONObject)],
        kind: ResourceKind,
        query: ListQuery
    ) -> [(record: ResourceRecord, derived: JSONObject)] {
        let schema = kind.schema
        var matches: [(record: ResourceRecord, derived: JSONObject, document: JSONObject)] = []
        for (record, derived) in candidates {
            let document = record.stored(kind, derived: derived).representation(baseURL: "")
            if let filter = query.filter, !filter.matches(document, schema: schema) { continue }
            matches.append((record, derived, document))
        }
        guard let sortBy = query.sortBy else { return matches.map { ($0.record, $0.derived) } }
        let resolved = schema.resolve(sortBy)
        let keys = matches.map { SortKey(resolved.values(in: $0.document), caseExact: resolved.leafDefinition.caseExact) }
        let order = matches.indices.sorted { lhs, rhs in
            let comparison = SortKey.compare(keys[lhs], keys[rhs])
            if comparison != 0 { return query.sortOrder == .ascending ? comparison < 0 : comparison > 0 }
            return matches[lhs].record.rowID < matches[rhs].record.rowID
        }
        return order.map { (matches[$0].record, matches[$0].derived) }
    }
}

/// A value to sort by: the primary (or first) value of the attribute; missing values sort last.
struct SortKey {
    let value: JSONValue?
    let caseExact: Bool

    init(_ values: [JSONValue], caseExact: Bool) {
        self.value = values.first { $0.objectValue?["primary"] == .bool(true) } ?? values.first
        self.caseExact = caseExact
    }

    /// -1, 0 or 1.
    static func compare(_ lhs: SortKey, _ rhs: SortKey) -> Int {
        switch (lhs.value, rhs.value) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case (let left?, let right?):
            switch (left, right) {
            case (.number(let a), .number(let b)): return a.doubleValue < b.doubleValue ? -1 : a.doubleValue > b.doubleValue ? 1 : 0
            case (.bool(let a), .bool(let b)): return a == b ? 0 : (!a ? -1 : 1)
            default:
                let a = text(left, caseExact: lhs.caseExact)
                let b = text(right, caseExact: rhs.caseExact)
                return a < b ? -1 : a > b ? 1 : 0
            }
        }
    }

    private static func text(_ value: JSONValue, caseExact: Bool) -> String {
        let raw = value.stringValue ?? value.objectValue?["value"]?.stringValue ?? value.serialized()
        return caseExact ? raw : raw.lowercased()
    }
}
