/// The sort direction of a list (RFC 7644 §3.4.2.3).
public enum SortOrder: String, Sendable, Hashable {
    /// Smallest first; the default.
    case ascending
    /// Largest first.
    case descending
}

/// What a list or search asks for (RFC 7644 §3.4.2): filter, sorting, paging and projection, read from query
/// parameters or from a SearchRequest body, with the RFC's paging rules applied (a `startIndex` below 1 is 1, a
/// negative `count` is 0, a `count` above the maximum is the maximum).
public struct ListQuery: Sendable, Hashable {
    /// The parsed filter, if any.
    public var filter: Filter?
    /// The attribute to sort by, if any.
    public var sortBy: AttributePath?
    /// The sort direction.
    public var sortOrder: SortOrder
    /// The 1-based index of the first result.
    public var startIndex: Int
    /// How many results at most; 0 asks only for `totalResults`.
    public var count: Int
    /// Which attributes to return.
    public var projection: AttributeProjection

    /// Makes a query.
    public init(
        filter: Filter? = nil,
        sortBy: AttributePath? = nil,
        sortOrder: SortOrder = .ascending,
        startIndex: Int = 1,
        count: Int = 100,
        projection: AttributeProjection = AttributeProjection()
    ) {
        self.filter = filter
        self.sortBy = sortBy
        self.sortOrder = sortOrder
        self.startIndex = startIndex
        self.count = count
        self.projection = projection
    }

    /// Reads query parameters (names compared ignoring case). Throws `invalidFilter` for a bad filter and
    /// `invalidValue` for a non-numeric `startIndex`/`count`, an unknown `sortOrder` or a bad attribute name.
    public init(
        parameters: [String: String],
        defaultCount: Int = 100,
        maximumCount: Int = 1000,
        parser: FilterParser = FilterParser()
    ) throws(SCIMError) {
        func parameter(_ name: String) -> String? {
            parameters[name] ?? parameters.first { $0.key.caseInsensitiveEquals(name) }?.value
        }
        func integer(_ name: String) throws(SCIMError) -> Int? {
            guard let text = parameter(name)?.trimmingSpaces, !text.isEmpty else { return nil }
            guard let value = Int(text) else { throw .invalidValue("'\(name)' must be an integer, not \"\(text)\"") }
            return value
        }
        try self.init(
            filterText: parameter("filter"),
            sortBy: parameter("sortBy"),
            sortOrder: parameter("sortOrder"),
            startIndex: try integer("startIndex"),
            count: try integer("count"),
            projection: try AttributeProjection(attributes: parameter("attributes"), excludedAttributes: parameter("excludedAttributes")),
            defaultCount: defaultCount,
            maximumCount: maximumCount,
            parser: parser
        )
    }

    /// Reads a SearchRequest body (RFC 7644 §3.4.3) for `POST /.search`.
    public init(
        searchRequest body: JSONValue,
        defaultCount: Int = 100,
        maximumCount: Int = 1000,
        parser: FilterParser = FilterParser()
    ) throws(SCIMError) {
        guard let object = body.objectValue else { throw .invalidSyntax("the SearchRequest must be a JSON object") }
        func strings(_ name: String) throws(SCIMError) -> [String] {
            switch object.value(forName: name) {
            case nil, .null?: return []
            case .string(let text)?: return [text]
            case .array(let items)?:
                var result: [String] = []
                for item in items {
                    guard let text = item.stringValue else { throw .invalidValue("'\(name)' must list attribute names") }
                    result.append(text)
                }
                return result
            case let other?: throw .invalidValue("'\(name)' must be an array of attribute names, not a \(other.typeName)")
            }
        }
        func text(_ name: String) throws(SCIMError) -> String? {
            switch object.value(forName: name) {
            case nil, .null?: return nil
            case .string(let text)?: return text
            case let other?: throw .invalidValue("'\(name)' must be a string, not a \(other.typeName)")
            }
        }
        func integer(_ name: String) throws(SCIMError) -> Int? {
            switch object.value(forName: name) {
            case nil, .null?: return nil
            case .number(let number)?:
                guard let int = number.intValue else { throw .invalidValue("'\(name)' must be an integer") }
                return int
            case .string(let text)?:
                guard let int = Int(text.trimmingSpaces) else { throw .invalidValue("'\(name)' must be an integer") }
                return int
            case let other?: throw .invalidValue("'\(name)' must be an integer, not a \(other.typeName)")
            }
        }
        try self.init(
            filterText: try text("filter"),
            sortBy: try text("sortBy"),
            sortOrder: try text("sortOrder"),
            startIndex: try integer("startIndex"),
            count: try integer("count"),
            projection: try AttributeProjection(attributes: try strings("attributes"), excludedAttributes: try strings("excludedAttributes")),
            defaultCount: defaultCount,
            maximumCount: maximumCount,
            parser: parser
        )
    }

    private init(
        filterText: String?,
        sortBy: String?,
        sortOrder: String?,
        startIndex: Int?,
        count: Int?,
        projection: AttributeProjection,
        defaultCount: Int,
        maximumCount: Int,
        parser: FilterParser
    ) throws(SCIMError) {
        var filter: Filter?
        if let filterText, !filterText.trimmingSpaces.isEmpty { filter = try parser.parse(filterText) }
        var sortPath: AttributePath?
        if let sortBy, !sortBy.trimmingSpaces.isEmpty {
            guard let path = AttributePath(parsing: sortBy.trimmingSpaces) else { throw .invalidValue("'sortBy' is not an attribute path") }
            sortPath = path
        }
        var order = SortOrder.ascending
        if let sortOrder, !sortOrder.trimmingSpaces.isEmpty {
            guard let parsed = SortOrder(rawValue: sortOrder.trimmingSpaces.lowercased()) else {
                throw .invalidValue("'sortOrder' must be \"ascending\" or \"descending\"")
            }
            order = parsed
        }
        self.init(
            filter: filter,
            sortBy: sortPath,
            sortOrder: order,
            startIndex: max(1, startIndex ?? 1),
            count: min(max(0, count ?? defaultCount), maximumCount),
            projection: projection
        )
    }
}
