import FuzzSupport
import SCIM

/// libFuzzer's callback for the filter fuzzer; the input is filter text as it arrives in `?filter=`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzFilterTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FilterFuzzTarget.run(String(decoding: LibFuzzer.input(data, size), as: UTF8.self))
    return 0
}

/// One input of the filter fuzzer: the text as a filter (parsed, validated and evaluated against the fixed User and
/// Group, and as a member filter), as a PATCH path (applied as a remove), and as `attributes`/`sortBy` parameters
/// (the projection applied to the rendered User and Group). Thrown SCIM errors are expected; only a crash is a finding.
enum FilterFuzzTarget {
    /// Runs one input.
    static func run(_ text: String) {
        let parser = FilterParser()
        if let filter = try? parser.parse(text) {
            for (schema, document) in FuzzFixtures.renderedResources {
                // The store evaluates only validated filters; evaluating the others too holds the evaluator to its
                // promise that an invalid comparison simply does not match.
                _ = try? filter.validate(for: schema)
                _ = filter.matches(document, schema: schema)
            }
            _ = MembershipChange.removeMatching(filter).apply(to: FuzzFixtures.groupMembers)
        }
        if let path = try? parser.parsePatchPath(text) {
            let remove = PatchRequest(operations: [PatchOperation(kind: .remove, path: path)])
            if let result = try? PatchEngine(schema: .user).apply(remove, to: FuzzFixtures.user, resourceID: FuzzFixtures.userID) {
                JSONRoundTrip.check(result.attributes, "the user after removing '\(text)'")
            }
        }
        if let query = try? ListQuery(parameters: ["attributes": text, "excludedAttributes": text, "sortBy": text]) {
            for (schema, document) in FuzzFixtures.renderedResources {
                _ = query.projection.includes("members", schema: schema)
                JSONRoundTrip.check(query.projection.apply(to: document, schema: schema), "the projection '\(text)'")
            }
        }
    }
}
