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

    /// Appends the message for a page of `count` resources to `output` without building it: `writeResource(i, &output)`
    /// appends the i-th resource's JSON (already rendered or spliced from stored bytes). The same members as
    /// ``document``.
    public static func write(
        totalResults: Int,
        startIndex: Int,
        count: Int,
        to output: inout [UInt8],
        writeResource: (Int, inout [UInt8]) -> Void
    ) {
        output.append(contentsOf: #"{"schemas":["#.utf8)
        JSONValue.writeString(SCIMSchemaURN.listResponse, to: &output)
        output.append(contentsOf: #"],"totalResults":"#.utf8)
        output.append(contentsOf: String(totalResults).utf8)
        output.append(contentsOf: #","startIndex":"#.utf8)
        output.append(contentsOf: String(startIndex).utf8)
        output.append(contentsOf: #","itemsPerPage":"#.utf8)
        output.append(contentsOf: String(count).utf8)
        output.append(contentsOf: #","Resources":["#.utf8)
        for position in 0..<count {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            writeResource(position, &output)
        }
        output.append(contentsOf: "]}".utf8)
    }
}
