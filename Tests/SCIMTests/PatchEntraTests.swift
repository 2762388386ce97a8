import Testing

@testable import SCIM

// MARK: - Helpers

private let enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

/// Parses JSON text written by a test and returns it as an object.
private func object(_ text: String) throws -> JSONObject {
    try #require(try JSONParser().parse(text).objectValue)
}

/// Wraps operations (JSON text of the array's elements) in a PatchOp message.
private func patchOp(_ operations: String) -> String {
    #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":["# + operations + "]}"
}

/// Parses a PATCH body and applies it to `attributes` of the resource `id`.
private func patch(_ body: String, _ attributes: JSONObject, schema: ResourceSchema = .user, id: String = "u1") throws -> PatchResult {
    let request = try PatchRequest(parsing: JSONParser().parse(body))
    return try PatchEngine(schema: schema).apply(request, to: attributes, resourceID: id)
}

/// The elements of a multi-valued attribute whose `type` is `type`.
private func elements(_ attributes: JSONObject, _ name: String, type: String) -> [JSONObject] {
    (attributes[name]?.arrayValue ?? []).compactMap(\.objectValue).filter { $0["type"]?.stringValue == type }
}

/// The PATCH shapes Microsoft Entra ID sends (docs/IDP-BEHAVIOURS.md §2.2–§2.6, whose section numbers the marks
/// below use): capitalised ops, string booleans, value-filter paths that may have to create their entry, flag-mode
/// no-path values with dotted and URN keys, the enterprise `manager` in three forms, and the non-RFC member removal
/// with a value list.
@Suite("PATCH: Entra shapes")
struct PatchEntraTests {
    /// A user as Entra created it (§2.2), with a home email, a work address and a mobile phone added.
    static let storedUser = #"""
        {"externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
         "active":true,"displayName":"Test User",
         "emails":[{"primary":true,"type":"work","value":"Test_User_00aa@testuser.com"},{"type":"home","value":"home@example.org"}],
         "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName","middleName":"M"},
         "addresses":[{"type":"work","streetAddress":"1 Microsoft Way","locality":"Redmond","postalCode":"98052","country":"US"}],
         "phoneNumbers":[{"type":"mobile","value":"55555555555"},{"type":"work","value":"4255550100"}],
         "title":"Engineer",
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engineering","employeeNumber":"1000"}}
        """#

    /// A user with no emails, addresses or phone numbers.
    static let bareUser = #"{"userName":"Test_User_bare","active":true,"name":{"givenName":"Bare","familyName":"User"}}"#

    /// The group as Entra created it (§2.3).
    static let storedGroup = #"{"externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"displayName"}"#

    // MARK: Capitalised ops and string booleans (§2.4, §2.5)

    @Test(arguments: ["Replace", "REPLACE", "replace"])
    func capitalisedReplaceWithStringFalseDisablesTheUser(op: String) throws {
        let before = try object(Self.storedUser)
        let result = try patch(patchOp(#"{"op":"\#(op)","path":"active","value":"False"}"#), before)
        #expect(result.attributes["active"] == .bool(false))
        #expect(result.changedAttributes == ["active"])
        var expected = before
        expected["active"] = false
        #expect(result.attributes == expected)
    }

    @Test func stringTrueReactivatesTheUserAsABoolean() throws {
        var before = try object(Self.storedUser)
        before["active"] = false
        let result = try patch(patchOp(#"{"op":"Replace","path":"active","value":"True"}"#), before)
        #expect(result.attributes["active"] == .bool(true))
        #expect(result.attributes["active"] != .string("True"))
    }

    @Test func flagModeBooleanFalseDisablesTheUser() throws {
        let result = try patch(patchOp(#"{"op":"replace","path":"active","value":false}"#), try object(Self.storedUser))
        #expect(result.attributes["active"] == .bool(false))
    }

    @Test func capitalisedAddSetsASingleValue() throws {
        let result = try patch(patchOp(#"{"op":"Add","path":"nickName","value":"Babs"}"#), try object(Self.storedUser))
        #expect(result.attributes["nickName"] == "Babs")
        #expect(result.changedAttributes == ["nickName"])
    }

    @Test func capitalisedRemoveUnsetsAnAttribute() throws {
        let result = try patch(patchOp(#"{"op":"Remove","path":"title"}"#), try object(Self.storedUser))
        #expect(result.attributes["title"] == nil)
        #expect(result.changedAttributes == ["title"])
        #expect(result.attributes["displayName"] == "Test User")
    }

    // MARK: Single-value updates (§2.2)

    @Test func replaceUserName() throws {
        let result = try patch(
            patchOp(#"{"op":"Replace","path":"userName","value":"5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}"#),
            try object(Self.storedUser)
        )
        #expect(result.attributes["userName"] == "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com")
        #expect(result.changedAttributes == ["userName"])
    }

    @Test func replaceFamilyNameKeepsGivenName() throws {
        let result = try patch(
            patchOp(
                #"""
                {"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"},
                {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}
                """#
            ),
            try object(Self.storedUser)
        )
        let name = try object(#"{"formatted":"givenName familyName","familyName":"updatedFamilyName","givenName":"givenName","middleName":"M"}"#)
        #expect(result.attributes["name"] == .object(name))
        #expect(elements(result.attributes, "emails", type: "work").map { $0["value"] } == ["updatedEmail@microsoft.com"])
        #expect(Set(result.changedAttributes) == ["name", "emails"])
    }

    // MARK: Value-filter paths (§2.4, §6.5)

    @Test func replaceWorkEmailValueUpdatesTheExistingEntry() throws {
        let result = try patch(
            patchOp(#"{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"}"#),
            try object(Self.storedUser)
        )
        #expect(
            result.attributes["emails"]
                == (try JSONParser().parse(
                    #"[{"primary":true,"type":"work","value":"updatedEmail@microsoft.com"},{"type":"home","value":"home@example.org"}]"#
                ))
        )
        #expect(result.changedAttributes == ["emails"])
    }

    @Test func addWorkEmailValueUpdatesTheExistingEntryWithoutADuplicate() throws {
        // Microsoft Q&A 1684621: Entra sends Add instead of Replace when an email changes.
        let result = try patch(
            patchOp(#"{"op":"Add","path":"emails[type eq \"work\"].value","value":"changed@microsoft.com"}"#),
            try object(Self.storedUser)
        )
        let work = elements(result.attributes, "emails", type: "work")
        #expect(work.count == 1)
        #expect(work.first?["value"] == "changed@microsoft.com")
        #expect(work.first?["primary"] == .bool(true))
        #expect(result.attributes["emails"]?.arrayValue?.count == 2)
    }

    @Test(arguments: ["Replace", "Add"])
    func workEmailIsCreatedWhenTheUserHasNoWorkEmail(op: String) throws {
        var before = try object(Self.storedUser)
        before["emails"] = try JSONParser().parse(#"[{"type":"home","value":"home@example.org"}]"#)
        let result = try patch(patchOp(#"{"op":"\#(op)","path":"emails[type eq \"work\"].value","value":"new.work@microsoft.com"}"#), before)
        #expect(
            result.attributes["emails"]
                == (try JSONParser().parse(#"[{"type":"home","value":"home@example.org"},{"type":"work","value":"new.work@microsoft.com"}]"#))
        )
        #expect(result.changedAttributes == ["emails"])
    }

    @Test(arguments: ["Replace", "Add"])
    func workEmailIsCreatedWhenTheUserHasNoEmailsAtAll(op: String) throws {
        let result = try patch(
            patchOp(#"{"op":"\#(op)","path":"emails[type eq \"work\"].value","value":"first@microsoft.com"}"#),
            try object(Self.bareUser)
        )
        #expect(result.attributes["emails"] == (try JSONParser().parse(#"[{"type":"work","value":"first@microsoft.com"}]"#)))
        #expect(result.changedAttributes == ["emails"])
    }

    @Test func replaceWorkPostalCodeKeepsTheRestOfTheAddress() throws {
        let result = try patch(
            patchOp(#"{"op":"Replace","path":"addresses[type eq \"work\"].postalCode","value":"98053"}"#),
            try object(Self.storedUser)
        )
        #expect(
            result.attributes["addresses"]
                == (try JSONParser().parse(
                    #"[{"type":"work","streetAddress":"1 Microsoft Way","locality":"Redmond","postalCode":"98053","country":"US"}]"#
                ))
        )
        #expect(result.changedAttributes == ["addresses"])
    }

    @Test func workPostalCodeCreatesAWorkAddressWhenMissing() throws {
        let result = try patch(
            patchOp(#"{"op":"Add","path":"addresses[type eq \"work\"].postalCode","value":"80027"}"#),
            try object(Self.bareUser)
        )
        #expect(result.attributes["addresses"] == (try JSONParser().parse(#"[{"type":"work","postalCode":"80027"}]"#)))
    }

    @Test func replaceMobilePhoneLeavesTheWorkPhone() throws {
        let result = try patch(
            patchOp(#"{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"66666666666"}"#),
            try object(Self.storedUser)
        )
        #expect(
            result.attributes["phoneNumbers"]
                == (try JSONParser().parse(#"[{"type":"mobile","value":"66666666666"},{"type":"work","value":"4255550100"}]"#))
        )
    }

    @Test func mobilePhoneIsCreatedWhenMissing() throws {
        let result = try patch(
            patchOp(#"{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"55555555555"}"#),
            try object(Self.bareUser)
        )
        // Stored exactly as sent (§2.4: no transformation of phone numbers).
        #expect(result.attributes["phoneNumbers"] == (try JSONParser().parse(#"[{"type":"mobile","value":"55555555555"}]"#)))
    }

    @Test func removeWithATypeFilterRemovesOnlyThatEntry() throws {
        let result = try patch(patchOp(#"{"op":"Remove","path":"phoneNumbers[type eq \"mobile\"]"}"#), try object(Self.storedUser))
        #expect(result.attributes["phoneNumbers"] == (try JSONParser().parse(#"[{"type":"work","value":"4255550100"}]"#)))
    }

    // MARK: Flag mode: no-path value with dotted and URN keys (§2.5)

    @Test func flagModeNoPathReplaceMergesDottedAndURNKeys() throws {
        let before = try object(Self.storedUser)
        let result = try patch(
            patchOp(
                #"""
                {"op":"replace","path":"emails[type eq \"work\"].value","value":"flag@microsoft.com"},
                {"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}
                """#
            ),
            before
        )
        let attributes = result.attributes
        #expect(attributes["displayName"] == "Bjfe")
        let name = try object(#"{"formatted":"givenName familyName","familyName":"Unua","givenName":"Kkom","middleName":"M"}"#)
        #expect(attributes["name"] == .object(name))
        #expect(attributes[enterpriseURN] == .object(try object(#"{"department":"Engineering","employeeNumber":"Aklq"}"#)))
        #expect(elements(attributes, "emails", type: "work").first?["value"] == "flag@microsoft.com")
        // Nothing else moved, and dotted keys were not stored as literal top-level keys.
        #expect(attributes["name.givenName"] == nil)
        #expect(attributes["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"] == nil)
        for key in ["userName", "externalId", "active", "title", "addresses", "phoneNumbers"] {
            #expect(attributes[key] == before[key], "\(key) changed")
        }
        #expect(Set(result.changedAttributes) == ["displayName", "name", "emails", enterpriseURN])
        #expect(attributes.count == before.count)
    }

    @Test func noPathValueWithAnExtensionObjectMergesIntoTheExtension() throws {
        let result = try patch(
            patchOp(#"{"op":"Replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"costCenter":"CC-7"}}}"#),
            try object(Self.storedUser)
        )
        #expect(result.attributes[enterpriseURN] == .object(try object(#"{"department":"Engineering","employeeNumber":"1000","costCenter":"CC-7"}"#)))
        #expect(result.changedAttributes == [enterpriseURN])
    }

    @Test func nonFlagModeOneReplacePerPath() throws {
        let result = try patch(
            patchOp(
                #"""
                {"op":"Replace","path":"displayName","value":"Bjfe"},
                {"op":"Replace","path":"name.givenName","value":"Kkom"},
                {"op":"Replace","path":"externalId","value":"ext-2"},
                {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"Aklq"}
                """#
            ),
            try object(Self.storedUser)
        )
        #expect(result.attributes["displayName"] == "Bjfe")
        #expect(result.attributes["name"]?.objectValue?["givenName"] == "Kkom")
        #expect(result.attributes["name"]?.objectValue?["familyName"] == "familyName")
        #expect(result.attributes["externalId"] == "ext-2")
        #expect(result.attributes[enterpriseURN]?.objectValue?["employeeNumber"] == "Aklq")
        #expect(result.attributes[enterpriseURN]?.objectValue?["department"] == "Engineering")
    }

    // MARK: Manager (§2.2 item 9)

    @Test func managerAsABareStringViaTheURNPath() throws {
        let result = try patch(
            patchOp(#"{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"myuser"}"#),
            try object(Self.storedUser)
        )
        let enterprise = try object(#"{"department":"Engineering","employeeNumber":"1000","manager":{"value":"myuser"}}"#)
        #expect(result.attributes[enterpriseURN] == .object(enterprise))
    }

    @Test func managerAsAnObjectViaTheURNPath() throws {
        let result = try patch(
            patchOp(
                #"""
                {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                 "value":{"value":"26118915-6090-4610-87e4-49d8ca9f808d","displayName":"John Smith"}}
                """#
            ),
            try object(Self.bareUser)
        )
        // `displayName` is read-only on the manager and is not stored.
        #expect(result.attributes[enterpriseURN] == .object(try object(#"{"manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d"}}"#)))
    }

    @Test func managerAsAOneElementArrayViaTheURNPath() throws {
        let result = try patch(
            patchOp(
                #"""
                {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                 "value":[{"$ref":"https://roster.example/scim/v2/Users/m-42","value":"m-42"}]}
                """#
            ),
            try object(Self.bareUser)
        )
        #expect(
            result.attributes[enterpriseURN]
                == .object(try object(#"{"manager":{"$ref":"https://roster.example/scim/v2/Users/m-42","value":"m-42"}}"#))
        )
    }

    @Test func managerAddWithTheTutorialsUnqualifiedPathAndArrayValue() throws {
        // The Entra tutorial's shape: `Add` on path `manager` with a one-element array.
        let result = try patch(
            patchOp(
                #"""
                {"op":"Add","path":"manager",
                 "value":[{"$ref":"http://example.com/scim/v2/Users/00000000-0000-0000-0000-000000000042",
                           "value":"00000000-0000-0000-0000-000000000042"}]}
                """#
            ),
            try object(Self.storedUser)
        )
        let manager = try #require(result.attributes[enterpriseURN]?.objectValue?["manager"]?.objectValue)
        #expect(manager["value"] == "00000000-0000-0000-0000-000000000042")
        #expect(manager["$ref"] == "http://example.com/scim/v2/Users/00000000-0000-0000-0000-000000000042")
        #expect(result.attributes["manager"] == nil)
        #expect(result.attributes[enterpriseURN]?.objectValue?["department"] == "Engineering")
    }

    @Test func managerAsABareStringInsideTheExtensionObject() throws {
        let result = try patch(
            patchOp(#"{"op":"Replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"myuser"}}}"#),
            try object(Self.bareUser)
        )
        #expect(result.attributes[enterpriseURN] == .object(try object(#"{"manager":{"value":"myuser"}}"#)))
    }

    @Test func removeManagerLeavesTheRestOfTheExtension() throws {
        var before = try object(Self.storedUser)
        before[enterpriseURN] = .object(try object(#"{"department":"Engineering","manager":{"value":"m1"}}"#))
        let result = try patch(patchOp(#"{"op":"Remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}"#), before)
        #expect(result.attributes[enterpriseURN] == .object(try object(#"{"department":"Engineering"}"#)))
    }

    // MARK: Roles (§2.4)

    @Test func rolePrimaryStringTrueBecomesABoolean() throws {
        let result = try patch(
            patchOp(
                #"""
                {"op":"Add","path":"roles","value":[{"value":"Admin","display":"Admin","type":"WindowsAzureActiveDirectoryRole","primary":"True"}]}
                """#
            ),
            try object(Self.bareUser)
        )
        #expect(
            result.attributes["roles"]
                == (try JSONParser().parse(#"[{"value":"Admin","display":"Admin","type":"WindowsAzureActiveDirectoryRole","primary":true}]"#))
        )
    }

    // MARK: Groups (§2.3, §2.6)

    @Test func replaceGroupDisplayName() throws {
        let before = try object(Self.storedGroup)
        let result = try patch(
            patchOp(#"{"op":"Replace","path":"displayName","value":"1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}"#),
            before,
            schema: .group,
            id: "g1"
        )
        #expect(result.attributes["displayName"] == "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName")
        #expect(result.attributes["externalId"] == before["externalId"])
        #expect(result.changedAttributes == ["displayName"])
        #expect(result.membershipChanges.isEmpty)
    }

    @Test func addMembersWithNullRef() throws {
        let result = try patch(
            patchOp(#"{"op":"Add","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"},{"$ref":null,"value":"a1b2c3"}]}"#),
            try object(Self.storedGroup),
            schema: .group,
            id: "g1"
        )
        #expect(result.membershipChanges == [.add([GroupMember(value: "f648f8d5ea4e4cd38e9c"), GroupMember(value: "a1b2c3")])])
        #expect(result.changedAttributes.isEmpty)
    }

    @Test func removeMembersWithAValueListRemovesOnlyThoseIDs() throws {
        let result = try patch(
            patchOp(#"{"op":"Remove","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"},{"$ref":null,"value":"u1091"}]}"#),
            try object(Self.storedGroup),
            schema: .group,
            id: "g1"
        )
        #expect(result.membershipChanges == [.remove(["f648f8d5ea4e4cd38e9c", "u1091"])])
        let current = ["keep", "f648f8d5ea4e4cd38e9c", "u1091", "keep2"].map { GroupMember(value: $0) }
        #expect(MembershipChange.apply(result.membershipChanges, to: current) == [GroupMember(value: "keep"), GroupMember(value: "keep2")])
    }

    @Test func removeMembersWithoutAValueRemovesAll() throws {
        let result = try patch(patchOp(#"{"op":"Remove","path":"members"}"#), try object(Self.storedGroup), schema: .group, id: "g1")
        #expect(result.membershipChanges == [.removeAll])
        #expect(MembershipChange.apply(result.membershipChanges, to: [GroupMember(value: "a"), GroupMember(value: "b")]).isEmpty)
        #expect(result.attributes == (try object(Self.storedGroup)))
    }

    @Test func microsoftCollectionAddIgnoresTheStrayNameKeyAndMemberDisplayName() throws {
        let result = try patch(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"name":"addMember","op":"add","path":"members","value":[{"displayName":"new User","value":"id4"}]}]}
            """#,
            try object(Self.storedGroup),
            schema: .group,
            id: "g1"
        )
        #expect(result.membershipChanges == [.add([GroupMember(value: "id4")])])
    }

    @Test func bareStringMemberValueIsAccepted() throws {
        let result = try patch(
            patchOp(#"{"op":"Add","path":"members","value":"string id 1"}"#),
            try object(Self.storedGroup),
            schema: .group,
            id: "g1"
        )
        #expect(result.membershipChanges == [.add([GroupMember(value: "string id 1")])])
        let applied = MembershipChange.apply(result.membershipChanges, to: [GroupMember(value: "x")])
        #expect(applied == [GroupMember(value: "x"), GroupMember(value: "string id 1")])
    }

    @Test func flagModeFilteredMemberRemove() throws {
        let result = try patch(
            patchOp(#"{"op":"remove","path":"members[value eq \"7f4bc1a3-285e-48ae-8202-5accb43efb0e\"]"}"#),
            try object(Self.storedGroup),
            schema: .group,
            id: "g1"
        )
        #expect(result.membershipChanges == [.remove(["7f4bc1a3-285e-48ae-8202-5accb43efb0e"])])
    }
}
