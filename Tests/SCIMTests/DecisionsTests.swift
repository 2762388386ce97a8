import Testing

@testable import SCIM

/// The rules of `docs/IDP-BEHAVIOURS.md` §6 that live in the protocol core, one test each (the HTTP-level ones, such
/// as status codes and discovery authentication, belong to the server's tests).
@Suite("IDP-BEHAVIOURS §6 decisions")
struct DecisionsTests {
    let okta = #"""
        {"userName":"test.user@okta.local","name":{"givenName":"Test","familyName":"User"},"active":true,
         "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],"title":"Engineer",
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales",
           "manager":{"value":"m-1","$ref":"https://r.example/Users/m-1"}}}
        """#

    func stored() throws -> JSONObject {
        try ResourceNormalizer.normalize(try JSONParser().parse(okta), schema: .user).attributes
    }

    func patch(_ operations: String, _ attributes: JSONObject, schema: ResourceSchema = .user, id: String = "u-1") throws -> PatchResult {
        let body = try JSONParser().parse(#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":"# + operations + "}")
        return try PatchEngine(schema: schema).apply(try PatchRequest(parsing: body), to: attributes, resourceID: id)
    }

    @Test func userNameMatchesIgnoringCase() throws {
        let filter = try FilterParser().parse(#"userName eq "TEST.USER@OKTA.LOCAL""#)
        #expect(filter.matches(try stored(), schema: .user))
    }

    @Test func errorStatusIsAString() {
        #expect(SCIMError.invalidFilter("x").document.objectValue?["status"] == "400")
    }

    @Test func entraTypeEqualityCreatesTheMissingEntryButOtherFiltersAreNoTarget() throws {
        var attributes = try stored()
        attributes["emails"] = nil
        let created = try patch(#"[{"op":"Add","path":"emails[type eq \"work\"].value","value":"new@okta.local"}]"#, attributes)
        #expect(created.attributes["emails"] == [["type": "work", "value": "new@okta.local"]])
        let error = try #require(throws: SCIMError.self) {
            try patch(#"[{"op":"replace","path":"emails[value eq \"nobody@x\"].type","value":"home"}]"#, attributes)
        }
        #expect(error.scimType == .noTarget)
    }

    @Test func removeWithValueListRemovesOnlyThoseMembers() throws {
        let result = try patch(
            #"[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"u2"}]}]"#,
            JSONObject([("displayName", "Engineering")]),
            schema: .group,
            id: "g-1"
        )
        #expect(result.membershipChanges == [.remove(["u2"])])
        let members = MembershipChange.apply(result.membershipChanges, to: [GroupMember(value: "u1"), GroupMember(value: "u2")])
        #expect(members == [GroupMember(value: "u1")])
    }

    @Test func readOnlyIdIsIgnoredWhenEqualAndRejectedWhenChanged() throws {
        let attributes = try stored()
        let same = try patch(#"[{"op":"replace","path":"id","value":"u-1"}]"#, attributes)
        #expect(same.changedAttributes.isEmpty)
        let changed = try #require(throws: SCIMError.self) { try patch(#"[{"op":"replace","path":"id","value":"u-2"}]"#, attributes) }
        #expect(changed.scimType == .mutability)
        let put = try #require(throws: SCIMError.self) {
            try ResourceReplacement.apply(try JSONParser().parse(#"{"id":"u-2","userName":"x"}"#), to: attributes, schema: .user, resourceID: "u-1")
        }
        #expect(put.scimType == .mutability)
        let echoed = try ResourceReplacement.apply(
            try JSONParser().parse(#"{"id":"u-1","userName":"x","meta":{"created":"04-12-2018 00:00:00"},"groups":[{"value":"g"}]}"#),
            to: attributes,
            schema: .user,
            resourceID: "u-1"
        )
        #expect(echoed.attributes["userName"] == "x")
        #expect(echoed.attributes["groups"] == nil && echoed.attributes["meta"] == nil && echoed.attributes["id"] == nil)
    }

    @Test func putClearsOmittedAttributesButKeepsActiveAndNeverStoresPassword() throws {
        var attributes = try stored()
        attributes["active"] = false
        let result = try ResourceReplacement.apply(
            try JSONParser().parse(#"{"userName":"test.user@okta.local","password":"p4ss"}"#),
            to: attributes,
            schema: .user,
            resourceID: "u-1"
        )
        #expect(result.attributes["title"] == nil)
        #expect(result.attributes["active"] == false)
        #expect(result.attributes["password"] == nil)
        #expect(result.changedAttributes.contains("title"))
    }

    @Test func unknownAttributesAreIgnoredInBodiesAndRejectedAsPatchPaths() throws {
        let normalized = try ResourceNormalizer.normalize(try JSONParser().parse(#"{"userName":"a","adreses":[{"x":1}]}"#), schema: .user)
        #expect(normalized.attributes["adreses"] == nil)
        #expect(normalized.attributes.keys == ["userName"])
        #expect(normalized.ignoredAttributes == ["adreses"])
        let error = try #require(throws: SCIMError.self) { try patch(#"[{"op":"add","path":"adreses","value":"x"}]"#, try stored()) }
        #expect(error.scimType == .invalidPath)
        // A no-path value is a body too: its unknown keys are ignored, its known ones applied.
        let result = try patch(#"[{"op":"replace","value":{"adreses":"x","displayName":"Alice"}}]"#, try stored())
        #expect(result.attributes["adreses"] == nil)
        #expect(result.attributes["displayName"] == "Alice")
    }

    @Test func unknownAttributesOfAKnownExtensionAreIgnoredButUnknownExtensionsRoundTrip() throws {
        let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        let custom = "urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User"
        let body = #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","\#(enterprise)","\#(custom)"],"userName":"a",
             "\#(enterprise)":{"department":"R&D","departmnet":"typo"},
             "\#(custom)":{"costCenter":"42","badge":{"number":7}}}
            """#
        let normalized = try ResourceNormalizer.normalize(try JSONParser().parse(body), schema: .user)
        #expect(normalized.attributes[enterprise] == ["department": "R&D"])
        #expect(normalized.ignoredAttributes == ["\(enterprise):departmnet"])
        let rendered = ResourceRenderer.render(schema: .user, id: "u1", attributes: normalized.attributes)
        #expect(rendered["schemas"] == .array([.string(ResourceSchema.user.core.id), .string(enterprise), .string(custom)]))
        #expect(rendered[custom] == (try JSONParser().parse(#"{"costCenter":"42","badge":{"number":7}}"#)))
    }

    @Test func storedUnknownCoreAttributesAreNotRendered() throws {
        // Stored by a Roster that still kept them: GET must not return what /Schemas does not describe.
        let attributes = try #require((try JSONParser().parse(#"{"userName":"a","adreses":"x","nickName":"b"}"#)).objectValue)
        let rendered = ResourceRenderer.render(schema: .user, id: "u1", attributes: attributes)
        #expect(rendered["adreses"] == nil)
        #expect(rendered["nickName"] == "b")
    }

    @Test func unknownSchemaURNsAreAccepted() throws {
        let body = #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",
              "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],"displayName":"Sales"}
            """#
        let normalized = try ResourceNormalizer.normalize(try JSONParser().parse(body), schema: .group)
        #expect(normalized.attributes == JSONObject([("displayName", "Sales")]))
    }

    @Test func stringBooleansAreCoerced() throws {
        let result = try patch(#"[{"op":"Replace","path":"active","value":"False"}]"#, try stored())
        #expect(result.attributes["active"] == false)
        #expect(result.changedAttributes == ["active"])
    }

    @Test func unknownMemberIdsAreNotTheCoresConcern() throws {
        let result = try patch(
            #"[{"op":"add","path":"members","value":[{"value":"fake-member-id"}]}]"#,
            JSONObject([("displayName", "Sales")]),
            schema: .group,
            id: "g-1"
        )
        #expect(result.membershipChanges == [.add([GroupMember(value: "fake-member-id")])])
    }

    @Test func unqualifiedExtensionAttributesResolveEverywhere() throws {
        let attributes = try stored()
        #expect(try FilterParser().parse(#"department eq "sales""#).matches(attributes, schema: .user))
        let projected = try AttributeProjection(attributes: "department", excludedAttributes: nil)
            .apply(to: ResourceRenderer.render(schema: .user, id: "u-1", attributes: attributes), schema: .user)
        #expect(projected[SCIMSchemaURN.enterpriseUser] == ["department": "Sales"])
    }

    @Test func managerPointingAtSomeoneElseDropsTheStaleReference() throws {
        let result = try patch(
            #"[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"m-2"}]"#,
            try stored()
        )
        #expect(result.attributes[SCIMSchemaURN.enterpriseUser]?.objectValue?["manager"] == ["value": "m-2"])
        let same = try patch(
            #"[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"m-1"}}]"#,
            try stored()
        )
        #expect(same.changedAttributes.isEmpty)
    }
}
