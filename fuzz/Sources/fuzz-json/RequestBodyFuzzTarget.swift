import FuzzSupport
import SCIM

/// libFuzzer's callback for the request-body fuzzer; the input is a request body's bytes.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJSONTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    RequestBodyFuzzTarget.run(LibFuzzer.input(data, size))
    return 0
}

/// One input of the request-body fuzzer, through the decoding the server does on a body: JSON parsing (the parsed
/// value must read back unchanged after serialization), then as the body of `POST /Users` and `POST /Groups`
/// (``ResourceNormalizer``), of `PUT /Users/{id}` and `PUT /Groups/{id}` over the fixed resources
/// (``ResourceReplacement``), of `POST /.search` (``ListQuery``, its filter evaluated) and of a PATCH
/// (``PatchRequest``). Thrown errors are expected; only a crash is a finding.
enum RequestBodyFuzzTarget {
    /// Runs one input.
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let body = try? JSONParser().parse(bytes) else { return }
        JSONRoundTrip.check(body, "the parsed body")
        createUser(body)
        createGroup(body)
        replaceUser(body)
        replaceGroup(body)
        search(body)
        _ = try? PatchRequest(parsing: body)
        _ = try? GroupMember.parseList(body)
    }

    /// `POST /Users`.
    static func createUser(_ body: JSONValue) {
        guard let input = try? ResourceNormalizer.normalize(body, schema: .user) else { return }
        JSONRoundTrip.check(input.attributes, "a created user's stored attributes")
        JSONRoundTrip.check(FuzzFixtures.renderedUser(attributes: input.attributes, id: FuzzFixtures.userID), "a created user as rendered")
    }

    /// `POST /Groups`.
    static func createGroup(_ body: JSONValue) {
        guard let input = try? ResourceNormalizer.normalize(body, schema: .group) else { return }
        JSONRoundTrip.check(input.attributes, "a created group's stored attributes")
        let rendered = FuzzFixtures.renderedGroup(attributes: input.attributes, members: input.members ?? [])
        JSONRoundTrip.check(rendered, "a created group as rendered")
    }

    /// `PUT /Users/{id}` over the fixed user.
    static func replaceUser(_ body: JSONValue) {
        let replaced = try? ResourceReplacement.apply(body, to: FuzzFixtures.user, schema: .user, resourceID: FuzzFixtures.userID)
        guard let replaced else { return }
        JSONRoundTrip.check(replaced.attributes, "a replaced user's stored attributes")
    }

    /// `PUT /Groups/{id}` over the fixed group and its members.
    static func replaceGroup(_ body: JSONValue) {
        let replaced = try? ResourceReplacement.apply(body, to: FuzzFixtures.group, schema: .group, resourceID: FuzzFixtures.groupID)
        guard let replaced else { return }
        let members = MembershipChange.apply(replaced.membershipChanges, to: FuzzFixtures.groupMembers)
        JSONRoundTrip.check(FuzzFixtures.renderedGroup(attributes: replaced.attributes, members: members), "a replaced group as rendered")
    }

    /// `POST /Users/.search` and `POST /Groups/.search` over the fixed resources.
    static func search(_ body: JSONValue) {
        guard let query = try? ListQuery(searchRequest: body) else { return }
        for (schema, document) in FuzzFixtures.renderedResources {
            if let filter = query.filter, (try? filter.validate(for: schema)) != nil {
                _ = filter.matches(document, schema: schema)
            }
            JSONRoundTrip.check(query.projection.apply(to: document, schema: schema), "a projected search result")
        }
    }
}
