import FuzzSupport
import SCIM

/// libFuzzer's callback for the PATCH fuzzer; the input is a PATCH request body.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzPatchTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    PatchFuzzTarget.run(LibFuzzer.input(data, size))
    return 0
}

/// One input of the PATCH fuzzer, through the server's path for `PATCH /Users/{id}` and `PATCH /Groups/{id}`: the
/// body is parsed as JSON and as a PatchOp, applied to the fixed full user, the bare user and the group, the group's
/// membership changes applied to its fixed members, and every result rendered; stored attributes and responses
/// must read back unchanged (``JSONRoundTrip``). Thrown SCIM errors are expected; only a crash is a finding.
enum PatchFuzzTarget {
    /// Runs one input.
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let body = try? JSONParser().parse(bytes), let request = try? PatchRequest(parsing: body) else { return }
        for (id, attributes) in FuzzFixtures.users {
            guard let result = try? PatchEngine(schema: .user).apply(request, to: attributes, resourceID: id) else { continue }
            JSONRoundTrip.check(result.attributes, "the patched user's stored attributes")
            JSONRoundTrip.check(FuzzFixtures.renderedUser(attributes: result.attributes, id: id), "the patched user as rendered")
        }
        guard let result = try? PatchEngine(schema: .group).apply(request, to: FuzzFixtures.group, resourceID: FuzzFixtures.groupID) else { return }
        JSONRoundTrip.check(result.attributes, "the patched group's stored attributes")
        let members = MembershipChange.apply(result.membershipChanges, to: FuzzFixtures.groupMembers)
        JSONRoundTrip.check(FuzzFixtures.renderedGroup(attributes: result.attributes, members: members), "the patched group as rendered")
    }
}
