/// A ListResponse message (RFC 7644 §3.4.2): one page of resources with the total that matched.
public struct ListResponse: Sendable, Hashable {
    /// How many resources matched in all.
    public var totalResults: Int
    /// The 1-based index of the first resource on this page.
    public var startIndex: Int
    /// The resources on this page, already rendered and projected.
    public var resources: [JSONValue]

    /// Makes a page.
    public init(totalResults: Int, startIndex: Int, resources: [JSONValue]) {
        self.totalResults = totalResults
        self.startIndex = startIndex
        self.resources = resources
    }

    /// The message: integer paging fields, and `Resources` (capital R) always present, empty when nothing matched.
    public var document: JSONValue {
        var object = JSONObject()
        object["schemas"] = .array([.string(SCIMSchemaURN.listResponse)])
        object["totalResults"] = .integer(totalResults)
        object["startIndex"] = .integer(startIndex)
        object["itemsPerPage"] = .integer(resources.count)
        object["Resources"] = .array(resources)
        return .object(object)
    }
}
