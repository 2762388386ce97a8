import Testing

@testable import SCIM

// MARK: - Helpers

/// Parses JSON text written by a test and returns it as an object.
private func object(_ text: String) throws -> JSONObject {
    try #require(try JSONParser().parse(text).objectValue)
}

/// Parses a PATCH body and applies it to `attributes` of the resource `id`.
private func patch(_ body: String, _ attributes: JSONObject, schema: ResourceSchema = .user, id: String = "u1") throws -> PatchResult {
    let request = try PatchRequest(parsing: JSONParser().parse(body))
    return try PatchEngine(schema: schema).apply(request, to: attributes, resourceID: id)
}

/// A group member as Okta names it: id and, optionally, the user's userName as `display`.
private func member(_ id: String, _ display: String? = nil) -> GroupMember {
    GroupMember(value: id, display: display)
}

/// The PATCH shapes Okta sends (docs/IDP-BEHAVIOURS.md §1.7–§1.12, whose section numbers the marks below use): no-path
/// `replace` for deactivation, reactivation, password sync and group rename, and delta or full membership changes
/// that the engine reports as ``MembershipChange`` values.
@Suite("PATCH: Okta shapes")
struct PatchOktaTests {
    /// The user as Okta created it (§1.5), in stored form.
    static let storedUser = #"""
        {"userName":"test.user@okta.local","name":{"givenName":"Test","familyName":"User"},
         "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
         "displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","active":true,
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engineering"}}
        """#

    /// The group as Okta pushed it (§1.10), in stored form.
    static let storedGroup = #"{"displayName":"Test SCIMv2"}"#

    /// The id Okta's examples give the pushed group.
    static let groupID = "abf4dd94-a4c0-4f67-89c9-76b03340cb9b"

    // MARK: Deactivate and reactivate (§1.7, §1.8)

    @Test func deactivateMergesActiveFalseAndKeepsEverythingElse() throws {
        let before = try object(Self.storedUser)
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"replace","value":{"active":false}}]}
            """#,
            before
        )
        var expected = before
        expected["active"] = false
        #expect(result.attributes == expected)
        #expect(result.attributes["active"] == .bool(false))
        #expect(result.attributes["userName"] == "test.user@okta.local")
        #expect(result.attributes["name"] == before["name"])
        #expect(result.attributes["emails"] == before["emails"])
        #expect(result.changedAttributes == ["active"])
        #expect(result.membershipChanges.isEmpty)
    }

    @Test func reactivateMergesActiveTrue() throws {
        var before = try object(Self.storedUser)
        before["active"] = false
        let result = try patch(
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}"#,
            before
        )
        #expect(result.attributes["active"] == .bool(true))
        #expect(result.changedAttributes == ["active"])
        var expected = before
        expected["active"] = true
        #expect(result.attributes == expected)
    }

    @Test func deactivatingAnInactiveUserChangesNothing() throws {
        var before = try object(Self.storedUser)
        before["active"] = false
        let result = try patch(
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"#,
            before
        )
        #expect(result.attributes == before)
        #expect(result.changedAttributes.isEmpty)
        #expect(!result.attributesChanged)
    }

    // MARK: Password sync (§1.9)

    @Test func passwordSyncIsAcceptedAndNeverStored() throws {
        let before = try object(Self.storedUser)
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"replace","value":{"password":"t1meMa$9"}}]}
            """#,
            before
        )
        #expect(result.attributes == before)
        #expect(result.attributes.key(matching: "password") == nil)
        #expect(result.changedAttributes.isEmpty)
        #expect(!result.attributes.contains { $0.value.serialized().contains("t1meMa$9") })
    }

    @Test func passwordSyncTogetherWithActiveStoresOnlyActive() throws {
        let before = try object(Self.storedUser)
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"replace","value":{"password":"1mz050nq","active":false}}]}
            """#,
            before
        )
        #expect(result.attributes.key(matching: "password") == nil)
        #expect(result.attributes["active"] == .bool(false))
        #expect(result.changedAttributes == ["active"])
    }

    @Test func passwordWithAnExplicitPathIsAlsoDropped() throws {
        let before = try object(Self.storedUser)
        let result = try patch(
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"password","value":"n3wPass"}]}"#,
            before
        )
        #expect(result.attributes == before)
        #expect(result.changedAttributes.isEmpty)
    }

    // MARK: Group rename (§1.11)

    @Test func groupRenameWithTheGroupsOwnIDIsAccepted() throws {
        let before = try object(Self.storedGroup)
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"replace","value":{"id":"abf4dd94-a4c0-4f67-89c9-76b03340cb9b","displayName":"Test SCIMv2 Renamed"}}]}
            """#,
            before,
            schema: .group,
            id: Self.groupID
        )
        #expect(result.attributes == (try object(#"{"displayName":"Test SCIMv2 Renamed"}"#)))
        #expect(result.attributes["id"] == nil)
        #expect(result.changedAttributes == ["displayName"])
        // A rename must never touch the member list (a replace without `members` emptying the group is a known bug).
        #expect(result.membershipChanges.isEmpty)
    }

    @Test func groupRenameWithUnchangedNameIsANoOp() throws {
        // Okta sends the rename after every membership change, even when the name is the same.
        let before = try object(Self.storedGroup)
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"replace","value":{"id":"abf4dd94-a4c0-4f67-89c9-76b03340cb9b","displayName":"Test SCIMv2"}}]}
            """#,
            before,
            schema: .group,
            id: Self.groupID
        )
        #expect(result.attributes == before)
        #expect(result.changedAttributes.isEmpty)
        #expect(result.membershipChanges.isEmpty)
    }

    @Test func groupRenameWithADifferentIDIsAMutabilityError() throws {
        let before = try object(Self.storedGroup)
        let error = try #require(throws: SCIMError.self) {
            try patch(
                #"""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"id":"another-group-id","displayName":"Test SCIMv2"}}]}
                """#,
                before,
                schema: .group,
                id: Self.groupID
            )
        }
        #expect(error.status == 400)
        #expect(error.scimType == .mutability)
    }

    // MARK: Membership (§1.12)

    @Test func deltaMembershipReportsEveryRemoveAndAddInOrder() throws {
        let before = try object(Self.storedGroup)
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"remove","path":"members[value eq \"89bb1940-b905-4575-9e7f-6f887cfb368e\"]"},
              {"op":"remove","path":"members[value eq \"5d1f8b2e-0c44-4b7a-a1a5-3c9e2f0d7b61\"]"},
              {"op":"add","path":"members","value":[
                {"value":"23a35c27-23d3-4c03-b4c5-6443c09e7173","display":"test.user@okta.local"},
                {"value":"0b7c6a5e-8f1e-4a0c-9d4e-2b3c4d5e6f70","display":"other.user@okta.local"}]}]}
            """#,
            before,
            schema: .group,
            id: Self.groupID
        )
        let expected: [MembershipChange] = [
            .remove(["89bb1940-b905-4575-9e7f-6f887cfb368e"]),
            .remove(["5d1f8b2e-0c44-4b7a-a1a5-3c9e2f0d7b61"]),
            .add([
                member("23a35c27-23d3-4c03-b4c5-6443c09e7173", "test.user@okta.local"),
                member("0b7c6a5e-8f1e-4a0c-9d4e-2b3c4d5e6f70", "other.user@okta.local"),
            ]),
        ]
        #expect(result.membershipChanges == expected)
        // Members are detached: the stored document is untouched and lastModified would not move for it.
        #expect(result.attributes == before)
        #expect(result.changedAttributes.isEmpty)

        let current = [
            member("89bb1940-b905-4575-9e7f-6f887cfb368e", "leaving@okta.local"),
            member("keep-1", "stays@okta.local"),
            member("5d1f8b2e-0c44-4b7a-a1a5-3c9e2f0d7b61", "leaving.too@okta.local"),
        ]
        #expect(
            MembershipChange.apply(result.membershipChanges, to: current) == [
                member("keep-1", "stays@okta.local"),
                member("23a35c27-23d3-4c03-b4c5-6443c09e7173", "test.user@okta.local"),
                member("0b7c6a5e-8f1e-4a0c-9d4e-2b3c4d5e6f70", "other.user@okta.local"),
            ]
        )
    }

    @Test func filteredRemoveOfAnAbsentMemberLeavesTheListAlone() throws {
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"remove","path":"members[value eq \"not-a-member\"]"}]}
            """#,
            try object(Self.storedGroup),
            schema: .group,
            id: Self.groupID
        )
        #expect(result.membershipChanges == [.remove(["not-a-member"])])
        let current = [member("u1"), member("u2")]
        #expect(MembershipChange.apply(result.membershipChanges, to: current) == current)
    }

    @Test func replaceMembersSetsTheListExactly() throws {
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"members","value":[
              {"value":"u1","display":"one@okta.local"},{"value":"u2","display":"two@okta.local"}]}]}
            """#,
            try object(Self.storedGroup),
            schema: .group,
            id: Self.groupID
        )
        let list = [member("u1", "one@okta.local"), member("u2", "two@okta.local")]
        #expect(result.membershipChanges == [.replace(list)])
        #expect(result.changedAttributes.isEmpty)
        #expect(MembershipChange.apply(result.membershipChanges, to: [member("u9"), member("u2", "old display")]) == list)
        #expect(MembershipChange.apply(result.membershipChanges, to: []) == list)
    }

    @Test func replaceMembersWithAnEmptyListEmptiesTheGroup() throws {
        // Pushing an empty group (SCIM-SDK#757 rejected this with 400).
        let result = try patch(
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"members","value":[]}]}"#,
            try object(Self.storedGroup),
            schema: .group,
            id: Self.groupID
        )
        #expect(result.membershipChanges == [.replace([])])
        #expect(MembershipChange.apply(result.membershipChanges, to: [member("u1"), member("u2")]).isEmpty)
    }

    @Test func addingAnExistingMemberIsANoOp() throws {
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"add","path":"members","value":[{"value":"u1","display":"renamed@okta.local"}]}]}
            """#,
            try object(Self.storedGroup),
            schema: .group,
            id: Self.groupID
        )
        #expect(result.membershipChanges == [.add([member("u1", "renamed@okta.local")])])
        let current = [member("u1", "one@okta.local"), member("u2", "two@okta.local")]
        let applied = MembershipChange.apply(result.membershipChanges, to: current)
        #expect(applied == current)
        #expect(applied.filter { $0.value == "u1" }.count == 1)
    }

    @Test func addAppendsAndNeverOverwritesTheList() throws {
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"add","path":"members","value":[{"value":"u3","display":"three@okta.local"}]}]}
            """#,
            try object(Self.storedGroup),
            schema: .group,
            id: Self.groupID
        )
        #expect(result.membershipChanges == [.add([member("u3", "three@okta.local")])])
        let current = [member("u1"), member("u2")]
        #expect(MembershipChange.apply(result.membershipChanges, to: current) == [member("u1"), member("u2"), member("u3", "three@okta.local")])
    }

    @Test func addListingTheSameMemberTwiceAddsItOnce() throws {
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"add","path":"members","value":[{"value":"u3"},{"value":"u3"},{"value":"u4"}]}]}
            """#,
            try object(Self.storedGroup),
            schema: .group,
            id: Self.groupID
        )
        #expect(result.membershipChanges == [.add([member("u3"), member("u4")])])
        #expect(MembershipChange.apply(result.membershipChanges, to: []) == [member("u3"), member("u4")])
    }

    @Test func membershipChangeAndRenameInOneRequest() throws {
        // Okta's delta PATCH followed by its id-carrying rename, sent as one request.
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"remove","path":"members[value eq \"u1\"]"},
              {"op":"add","path":"members","value":[{"value":"u5","display":"five@okta.local"}]},
              {"op":"replace","value":{"id":"abf4dd94-a4c0-4f67-89c9-76b03340cb9b","displayName":"Renamed"}}]}
            """#,
            try object(Self.storedGroup),
            schema: .group,
            id: Self.groupID
        )
        #expect(result.membershipChanges == [.remove(["u1"]), .add([member("u5", "five@okta.local")])])
        #expect(result.attributes["displayName"] == "Renamed")
        #expect(result.changedAttributes == ["displayName"])
        #expect(
            MembershipChange.apply(result.membershipChanges, to: [member("u1"), member("u2")]) == [member("u2"), member("u5", "five@okta.local")]
        )
    }

    @Test func filteredRemoveWithSeveralIDsJoinedByOr() throws {
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"remove","path":"members[value eq \"u1\" or value eq \"u3\"]"}]}
            """#,
            try object(Self.storedGroup),
            schema: .group,
            id: Self.groupID
        )
        #expect(result.membershipChanges == [.remove(["u1", "u3"])])
        #expect(MembershipChange.apply(result.membershipChanges, to: [member("u1"), member("u2"), member("u3")]) == [member("u2")])
    }

    @Test func filteredRemoveOnDisplayIsReportedAsAFilter() throws {
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"remove","path":"members[display eq \"two@okta.local\"]"}]}
            """#,
            try object(Self.storedGroup),
            schema: .group,
            id: Self.groupID
        )
        let change = try #require(result.membershipChanges.first)
        guard case .removeMatching = change else {
            Issue.record("expected .removeMatching, got \(change)")
            return
        }
        #expect(result.membershipChanges.count == 1)
        let current = [member("u1", "one@okta.local"), member("u2", "TWO@okta.local"), member("u3")]
        #expect(MembershipChange.apply(result.membershipChanges, to: current) == [member("u1", "one@okta.local"), member("u3")])
    }
}
