import Testing

@testable import SCIM

// MARK: - Helpers

private let enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

/// Parses JSON text written by a test and returns it as an object.
private func object(_ text: String) throws -> JSONObject {
    try #require(try JSONParser().parse(text).objectValue)
}

/// Parses JSON text written by a test.
private func json(_ text: String) throws -> JSONValue {
    try JSONParser().parse(text)
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

/// The SCIM error a PATCH raises, whether while parsing the request or while applying it.
private func patchError(
    _ body: String,
    _ attributes: JSONObject,
    schema: ResourceSchema = .user,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> SCIMError {
    try #require(throws: SCIMError.self, sourceLocation: sourceLocation) { try patch(body, attributes, schema: schema) }
}

/// RFC 7644 §3.5.2 semantics and error codes, with Roster's rules from docs/IDP-BEHAVIOURS.md §5.6 and §6.
@Suite("PATCH: RFC 7644 rules")
struct PatchRulesTests {
    /// A user in stored form.
    static let storedUser = #"""
        {"userName":"bjensen@example.com","externalId":"bjensen",
         "name":{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara","middleName":"Jane"},
         "displayName":"Babs Jensen","title":"Tour Guide","active":true,
         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"Tour Operations"}}
        """#

    static func user() throws -> JSONObject { try object(storedUser) }

    // MARK: Request shape errors

    @Test func removeWithoutPathIsNoTarget() throws {
        let error = try patchError(patchOp(#"{"op":"remove"}"#), Self.user())
        #expect(error.scimType == .noTarget)
        #expect(error.status == 400)
        let withValue = try patchError(patchOp(#"{"op":"remove","value":{"title":"Tour Guide"}}"#), Self.user())
        #expect(withValue.scimType == .noTarget)
    }

    @Test(arguments: ["copy", "move", "test", ""])
    func unknownOpIsInvalidSyntax(op: String) throws {
        let error = try patchError(patchOp(#"{"op":"\#(op)","path":"title","value":"x"}"#), Self.user())
        #expect(error.scimType == .invalidSyntax)
        #expect(error.status == 400)
    }

    @Test func missingOpIsInvalidSyntax() throws {
        let error = try patchError(patchOp(#"{"path":"title","value":"x"}"#), Self.user())
        #expect(error.scimType == .invalidSyntax)
    }

    @Test(arguments: [#"[{"op":"remove","path":"title"}]"#, #""Operations""#, "42", "null"])
    func bodyThatIsNotAnObjectIsInvalidSyntax(body: String) throws {
        let error = try #require(throws: SCIMError.self) { try PatchRequest(parsing: json(body)) }
        #expect(error.scimType == .invalidSyntax)
        #expect(error.status == 400)
    }

    @Test(arguments: [
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}"#,
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":{"op":"remove","path":"title"}}"#,
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":null}"#,
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":["remove title"]}"#,
    ])
    func missingOrMalformedOperationsIsInvalidSyntax(body: String) throws {
        let error = try #require(throws: SCIMError.self) { try PatchRequest(parsing: json(body)) }
        #expect(error.scimType == .invalidSyntax)
        #expect(error.status == 400)
    }

    @Test(arguments: [
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":[{"op":"replace","path":"title","value":"x"}]}"#,
        #"{"schemas":[],"Operations":[{"op":"replace","path":"title","value":"x"}]}"#,
        #"{"schemas":"urn:ietf:params:scim:api:messages:2.0:PatchOp","Operations":[{"op":"replace","path":"title","value":"x"}]}"#,
    ])
    func schemasWithoutPatchOpIsInvalidSyntax(body: String) throws {
        let error = try #require(throws: SCIMError.self) { try PatchRequest(parsing: json(body)) }
        #expect(error.scimType == .invalidSyntax)
        #expect(error.status == 400)
    }

    @Test func operationsAreParsedWithTheirPathsAndValues() throws {
        let request = try PatchRequest(
            parsing: json(
                patchOp(#"{"op":"Add","path":"nickName","value":"Babs"},{"op":"remove","path":"title"},{"op":"REPLACE","value":{"active":false}}"#)
            )
        )
        #expect(request.operations.map(\.kind) == [.add, .remove, .replace])
        #expect(request.operations.map { $0.path?.attribute.attribute } == ["nickName", "title", nil])
        #expect(request.operations.map(\.value) == ["Babs", nil, ["active": false]])
    }

    // MARK: Path errors

    @Test(arguments: [
        "foo", "name.nickName", "emails[type eq \\\"work\\\"].colour", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:shoeSize",
    ])
    func unknownAttributePathIsInvalidPath(path: String) throws {
        let error = try patchError(patchOp(#"{"op":"replace","path":"\#(path)","value":"x"}"#), Self.user())
        #expect(error.scimType == .invalidPath)
        #expect(error.status == 400)
    }

    @Test(arguments: ["emails[type eq", "emails[type eq \\\"work\\\"", "emails[type eq \\\"work\\\"]value", "emails[]", "na me", "name..givenName"])
    func malformedPathIsInvalidPath(path: String) throws {
        let error = try patchError(patchOp(#"{"op":"replace","path":"\#(path)","value":"x"}"#), Self.user())
        #expect(error.scimType == .invalidPath)
        #expect(error.status == 400)
    }

    @Test func valueFilterOnASingleValuedAttributeIsInvalidPath() throws {
        let error = try patchError(patchOp(#"{"op":"replace","path":"name[givenName eq \"Barbara\"]","value":{"givenName":"B"}}"#), Self.user())
        #expect(error.scimType == .invalidPath)
    }

    @Test(arguments: [
        #"{"op":"add","path":"groups","value":[{"value":"g1"}]}"#,
        #"{"op":"replace","path":"meta.created","value":"2011-08-01T18:29:49.793Z"}"#,
        #"{"op":"replace","path":"meta","value":{"resourceType":"Group"}}"#,
        #"{"op":"replace","path":"id","value":"u2"}"#,
        #"{"op":"remove","path":"id"}"#,
        #"{"op":"remove","path":"groups"}"#,
    ])
    func pathOnAReadOnlyAttributeIsAMutabilityError(operation: String) throws {
        let error = try patchError(patchOp(operation), Self.user())
        #expect(error.scimType == .mutability)
        #expect(error.status == 400)
    }

    @Test func removingRequiredUserNameIsAMutabilityError() throws {
        let error = try patchError(patchOp(#"{"op":"remove","path":"userName"}"#), Self.user())
        #expect(error.scimType == .mutability)
        #expect(error.status == 400)
    }

    @Test func removingRequiredGroupDisplayNameIsAMutabilityError() throws {
        let error = try patchError(patchOp(#"{"op":"remove","path":"displayName"}"#), try object(#"{"displayName":"Admins"}"#), schema: .group)
        #expect(error.scimType == .mutability)
    }

    @Test func replacingUserNameWithAnEmptyStringIsInvalidValue() throws {
        let error = try patchError(patchOp(#"{"op":"replace","path":"userName","value":""}"#), Self.user())
        #expect(error.scimType == .invalidValue)
    }

    // MARK: Value errors

    @Test(arguments: [#""maybe""#, "1", #"{"value":true}"#, #"["true"]"#])
    func replaceActiveWithANonBooleanIsInvalidValue(value: String) throws {
        let error = try patchError(patchOp(#"{"op":"replace","path":"active","value":\#(value)}"#), Self.user())
        #expect(error.scimType == .invalidValue)
        #expect(error.status == 400)
    }

    @Test func noPathReplaceWithANonObjectValueIsInvalidValue() throws {
        let error = try patchError(patchOp(#"{"op":"replace","value":"active=false"}"#), Self.user())
        #expect(error.scimType == .invalidValue)
    }

    @Test func replaceWithoutAValueIsInvalidValue() throws {
        let error = try patchError(patchOp(#"{"op":"replace","path":"title"}"#), Self.user())
        #expect(error.scimType == .invalidValue)
    }

    @Test func replaceOfAComplexAttributeWithAStringIsInvalidValue() throws {
        let error = try patchError(patchOp(#"{"op":"replace","path":"name","value":"Barbara Jensen"}"#), Self.user())
        #expect(error.scimType == .invalidValue)
    }

    // MARK: Value filters

    @Test func replaceWithANonTypeFilterAndNoMatchIsNoTarget() throws {
        let error = try patchError(
            patchOp(#"{"op":"replace","path":"emails[value eq \"nomatch@example.com\"]","value":{"value":"x@example.com"}}"#),
            Self.user()
        )
        #expect(error.scimType == .noTarget)
        #expect(error.status == 400)
        let withSub = try patchError(patchOp(#"{"op":"replace","path":"emails[value eq \"nomatch@example.com\"].display","value":"X"}"#), Self.user())
        #expect(withSub.scimType == .noTarget)
    }

    @Test func replaceWithACompoundTypeFilterAndNoMatchIsNoTarget() throws {
        // Only the bare `type eq "…"` filter creates its entry (docs/IDP-BEHAVIOURS.md §6.5, T58).
        let error = try patchError(
            patchOp(#"{"op":"replace","path":"emails[type eq \"other\" and value co \"@x\"].value","value":"a@x.org"}"#),
            Self.user()
        )
        #expect(error.scimType == .noTarget)
    }

    @Test func filteredRemoveWithNoMatchIsANoOp() throws {
        let before = try Self.user()
        let result = try patch(patchOp(#"{"op":"remove","path":"emails[type eq \"other\"]"}"#), before)
        #expect(result.attributes == before)
        #expect(result.changedAttributes.isEmpty)
        let onAbsent = try patch(patchOp(#"{"op":"remove","path":"phoneNumbers[type eq \"work\"]"}"#), before)
        #expect(onAbsent.attributes == before)
        #expect(onAbsent.changedAttributes.isEmpty)
    }

    @Test func filteredRemoveRemovesOnlyTheMatchingValues() throws {
        let result = try patch(patchOp(#"{"op":"remove","path":"emails[value ew \"jensen.org\"]"}"#), Self.user())
        #expect(result.attributes["emails"] == (try json(#"[{"value":"bjensen@example.com","type":"work","primary":true}]"#)))
    }

    @Test func filteredRemoveOfTheLastValueUnassignsTheAttribute() throws {
        let result = try patch(patchOp(#"{"op":"remove","path":"emails[type eq \"work\" or type eq \"home\"]"}"#), Self.user())
        #expect(result.attributes["emails"] == nil)
        #expect(result.changedAttributes == ["emails"])
    }

    @Test func filteredReplaceOfASubAttributeChangesEveryMatch() throws {
        var before = try Self.user()
        before["addresses"] = try json(#"[{"type":"work","locality":"A"},{"type":"home","locality":"B"},{"type":"work","locality":"C"}]"#)
        let result = try patch(patchOp(#"{"op":"replace","path":"addresses[type eq \"work\"].region","value":"CA"}"#), before)
        #expect(
            result.attributes["addresses"]
                == (try json(
                    #"""
                    [{"type":"work","locality":"A","region":"CA"},{"type":"home","locality":"B"},
                     {"type":"work","locality":"C","region":"CA"}]
                    """#
                ))
        )
    }

    // MARK: add

    @Test func addAppendsToEmails() throws {
        let result = try patch(patchOp(#"{"op":"add","path":"emails","value":[{"value":"b.jensen@other.example","type":"other"}]}"#), Self.user())
        #expect(
            result.attributes["emails"]
                == (try json(
                    #"""
                    [{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"},
                     {"value":"b.jensen@other.example","type":"other"}]
                    """#
                ))
        )
        #expect(result.changedAttributes == ["emails"])
    }

    @Test func addOfAnIdenticalEmailIsDeduplicatedAndChangesNothing() throws {
        let before = try Self.user()
        let result = try patch(patchOp(#"{"op":"add","path":"emails","value":[{"value":"babs@jensen.org","type":"home"}]}"#), before)
        #expect(result.attributes == before)
        #expect(result.attributes["emails"]?.arrayValue?.count == 2)
        #expect(result.changedAttributes.isEmpty)
    }

    @Test func noPathAddOfAnIdenticalEmailIsDeduplicated() throws {
        let before = try Self.user()
        let result = try patch(patchOp(#"{"op":"add","value":{"emails":[{"value":"babs@jensen.org","type":"home"}]}}"#), before)
        #expect(result.attributes == before)
        #expect(result.changedAttributes.isEmpty)
    }

    @Test func addOnASingleValuedAttributeReplacesIt() throws {
        let result = try patch(patchOp(#"{"op":"add","path":"title","value":"Chief Guide"}"#), Self.user())
        #expect(result.attributes["title"] == "Chief Guide")
    }

    @Test func addWithPrimaryTrueMakesTheOldPrimaryFalse() throws {
        let result = try patch(
            patchOp(#"{"op":"add","path":"emails","value":[{"value":"new.primary@example.com","type":"other","primary":true}]}"#),
            Self.user()
        )
        let emails = try #require(result.attributes["emails"]?.arrayValue)
        #expect(emails.filter { $0.objectValue?["primary"] == .bool(true) }.count == 1)
        #expect(
            result.attributes["emails"]
                == (try json(
                    #"""
                    [{"value":"bjensen@example.com","type":"work","primary":false},{"value":"babs@jensen.org","type":"home"},
                     {"value":"new.primary@example.com","type":"other","primary":true}]
                    """#
                ))
        )
    }

    @Test func addingPrimaryTrueToAnExistingEarlierValueMakesItThePrimary() throws {
        // The value just added wins, wherever it sits in the list.
        var before = try Self.user()
        before["emails"] = try json(#"[{"value":"babs@jensen.org","type":"home"},{"value":"bjensen@example.com","type":"work","primary":true}]"#)
        let result = try patch(patchOp(#"{"op":"add","path":"emails","value":[{"value":"babs@jensen.org","type":"home","primary":true}]}"#), before)
        #expect(
            result.attributes["emails"]
                == (try json(
                    #"[{"value":"babs@jensen.org","type":"home","primary":true},{"value":"bjensen@example.com","type":"work","primary":false}]"#
                ))
        )
    }

    @Test func filteredReplaceOfPrimaryMakesTheMatchedValueThePrimary() throws {
        let result = try patch(patchOp(#"{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}"#), Self.user())
        #expect(
            result.attributes["emails"]
                == (try json(
                    #"[{"value":"bjensen@example.com","type":"work","primary":false},{"value":"babs@jensen.org","type":"home","primary":true}]"#
                ))
        )
    }

    @Test func filteredReplaceOfPrimaryWinsOverALaterPrimary() throws {
        var before = try Self.user()
        before["emails"] = try json(#"[{"value":"babs@jensen.org","type":"home"},{"value":"bjensen@example.com","type":"work","primary":true}]"#)
        let result = try patch(patchOp(#"{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}"#), before)
        #expect(
            result.attributes["emails"]
                == (try json(
                    #"[{"value":"babs@jensen.org","type":"home","primary":true},{"value":"bjensen@example.com","type":"work","primary":false}]"#
                ))
        )
    }

    @Test func createdTypedEntryWithPrimaryTrueBecomesThePrimary() throws {
        let result = try patch(
            patchOp(#"{"op":"add","path":"emails[type eq \"other\"]","value":{"value":"o@example.com","primary":true}}"#),
            Self.user()
        )
        let emails = try #require(result.attributes["emails"]?.arrayValue)
        #expect(emails.count == 3)
        let primaries = emails.filter { $0.objectValue?["primary"] == .bool(true) }
        #expect(primaries == [try json(#"{"type":"other","value":"o@example.com","primary":true}"#)])
    }

    @Test func addCreatesAMissingAttribute() throws {
        let result = try patch(patchOp(#"{"op":"add","path":"phoneNumbers","value":[{"value":"555-555-8377","type":"work"}]}"#), Self.user())
        #expect(result.attributes["phoneNumbers"] == (try json(#"[{"value":"555-555-8377","type":"work"}]"#)))
        #expect(result.changedAttributes == ["phoneNumbers"])
    }

    // MARK: replace

    @Test func replaceOfNameWithOnlyFamilyNameKeepsGivenName() throws {
        let result = try patch(patchOp(#"{"op":"replace","path":"name","value":{"familyName":"Jensen-Smith"}}"#), Self.user())
        let name = try object(#"{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen-Smith","givenName":"Barbara","middleName":"Jane"}"#)
        #expect(result.attributes["name"] == .object(name))
    }

    @Test func noPathReplaceOfNameWithOnlyFamilyNameKeepsGivenName() throws {
        let result = try patch(patchOp(#"{"op":"replace","value":{"name":{"familyName":"Jensen-Smith"}}}"#), Self.user())
        #expect(result.attributes["name"]?.objectValue?["givenName"] == "Barbara")
        #expect(result.attributes["name"]?.objectValue?["familyName"] == "Jensen-Smith")
    }

    @Test func replaceOfNameWithANullSubAttributeClearsOnlyThatSubAttribute() throws {
        let result = try patch(patchOp(#"{"op":"replace","path":"name","value":{"middleName":null}}"#), Self.user())
        #expect(
            result.attributes["name"]
                == .object(try object(#"{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara"}"#))
        )
    }

    @Test func replaceOfAMultiValuedAttributeReplacesAllValues() throws {
        let result = try patch(patchOp(#"{"op":"replace","path":"emails","value":[{"value":"only@example.com","type":"work"}]}"#), Self.user())
        #expect(result.attributes["emails"] == (try json(#"[{"value":"only@example.com","type":"work"}]"#)))
    }

    @Test func replaceOfAMissingAttributeAddsIt() throws {
        let result = try patch(patchOp(#"{"op":"replace","path":"nickName","value":"Babs"}"#), Self.user())
        #expect(result.attributes["nickName"] == "Babs")
    }

    @Test func replaceWithNullUnassigns() throws {
        let result = try patch(patchOp(#"{"op":"replace","path":"title","value":null}"#), Self.user())
        #expect(result.attributes["title"] == nil)
        #expect(result.changedAttributes == ["title"])
    }

    // MARK: remove

    @Test func removeOfASubAttributeKeepsTheOthers() throws {
        let result = try patch(patchOp(#"{"op":"remove","path":"name.middleName"}"#), Self.user())
        let name = try object(#"{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara"}"#)
        #expect(result.attributes["name"] == .object(name))
    }

    @Test func removeOfAMultiValuedAttributeRemovesAllValues() throws {
        let result = try patch(patchOp(#"{"op":"remove","path":"emails"}"#), Self.user())
        #expect(result.attributes["emails"] == nil)
        #expect(result.changedAttributes == ["emails"])
    }

    @Test func removeOfAnAbsentAttributeChangesNothing() throws {
        let before = try Self.user()
        let result = try patch(patchOp(#"{"op":"remove","path":"nickName"}"#), before)
        #expect(result.attributes == before)
        #expect(result.changedAttributes.isEmpty)
    }

    // MARK: Atomicity

    @Test func aFailingSecondOperationFailsTheWholeRequest() throws {
        let before = try Self.user()
        let first = #"{"op":"replace","path":"displayName","value":"Barbara J."}"#
        let error = try patchError(patchOp(first + #",{"op":"replace","path":"active","value":"maybe"}"#), before)
        #expect(error.scimType == .invalidValue)
        // The first operation alone would have changed the resource, so the failure above really discarded a change.
        let firstOnly = try patch(patchOp(first), before)
        #expect(firstOnly.attributes["displayName"] == "Barbara J.")
        #expect(firstOnly.changedAttributes == ["displayName"])
        // The caller's copy is a value and stays as it was.
        #expect(before == (try Self.user()))
    }

    @Test func aFailingLaterOperationAlsoDiscardsMembershipChanges() throws {
        let group = try object(#"{"displayName":"Admins"}"#)
        let error = try patchError(
            patchOp(#"{"op":"add","path":"members","value":[{"value":"u1"}]},{"op":"remove","path":"displayName"}"#),
            group,
            schema: .group
        )
        #expect(error.scimType == .mutability)
    }

    // MARK: changedAttributes

    @Test func replaceWithTheSameValueChangesNothing() throws {
        let before = try Self.user()
        let result = try patch(
            patchOp(
                #"""
                {"op":"replace","path":"active","value":true},
                {"op":"replace","path":"name.givenName","value":"Barbara"},
                {"op":"replace","path":"emails[type eq \"work\"].value","value":"bjensen@example.com"},
                {"op":"replace","value":{"displayName":"Babs Jensen","title":"Tour Guide"}},
                {"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Tour Operations"}
                """#
            ),
            before
        )
        #expect(result.attributes == before)
        #expect(result.changedAttributes.isEmpty)
        #expect(!result.attributesChanged)
    }

    @Test func changedAttributesListsExactlyTheChangedTopLevelAttributes() throws {
        let result = try patch(
            patchOp(
                #"""
                {"op":"replace","value":{"displayName":"Barbara J.","active":true,"title":"Tour Guide"}},
                {"op":"replace","path":"name.givenName","value":"Barb"},
                {"op":"remove","path":"externalId"},
                {"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter","value":"4130"}
                """#
            ),
            Self.user()
        )
        #expect(Set(result.changedAttributes) == ["displayName", "name", "externalId", enterpriseURN])
        #expect(result.changedAttributes.count == 4)
        #expect(result.attributesChanged)
    }

    // MARK: Extension objects

    @Test func addOfTheWholeExtensionObjectMergesIntoIt() throws {
        let result = try patch(
            patchOp(
                #"""
                {"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"costCenter":"4130","department":"Sales"}}
                """#
            ),
            Self.user()
        )
        #expect(result.attributes[enterpriseURN] == .object(try object(#"{"employeeNumber":"701984","department":"Sales","costCenter":"4130"}"#)))
        #expect(result.changedAttributes == [enterpriseURN])
    }

    @Test func addOfTheWholeExtensionObjectCreatesIt() throws {
        var before = try Self.user()
        before[enterpriseURN] = nil
        let result = try patch(
            patchOp(
                #"""
                {"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"department":"Sales","manager":"m1"}}
                """#
            ),
            before
        )
        #expect(result.attributes[enterpriseURN] == .object(try object(#"{"department":"Sales","manager":{"value":"m1"}}"#)))
    }

    @Test func replaceOfTheWholeExtensionObjectKeepsUnnamedSubAttributes() throws {
        let result = try patch(
            patchOp(#"{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"department":"Finance"}}"#),
            Self.user()
        )
        #expect(result.attributes[enterpriseURN] == .object(try object(#"{"employeeNumber":"701984","department":"Finance"}"#)))
    }

    @Test func removeOfTheWholeExtensionObjectDropsIt() throws {
        let before = try Self.user()
        let result = try patch(patchOp(#"{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}"#), before)
        #expect(result.attributes[enterpriseURN] == nil)
        #expect(result.changedAttributes == [enterpriseURN])
        var expected = before
        expected[enterpriseURN] = nil
        #expect(result.attributes == expected)
    }

    @Test func removingTheLastExtensionAttributeDropsTheExtensionObject() throws {
        var before = try Self.user()
        before[enterpriseURN] = .object(try object(#"{"department":"Tour Operations"}"#))
        let result = try patch(patchOp(#"{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"}"#), before)
        #expect(result.attributes[enterpriseURN] == nil)
    }

    @Test func urnQualifiedCorePathResolvesToTheCoreAttribute() throws {
        let result = try patch(
            patchOp(#"{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:displayName","value":"B. Jensen"}"#),
            Self.user()
        )
        #expect(result.attributes["displayName"] == "B. Jensen")
        #expect(result.changedAttributes == ["displayName"])
    }

    @Test func attributeNamesInPathsAreCaseInsensitive() throws {
        let result = try patch(
            patchOp(
                #"""
                {"op":"replace","path":"NAME.GIVENNAME","value":"Barb"},
                {"op":"replace","path":"Emails[Type eq \"work\"].Value","value":"b@example.com"}
                """#
            ),
            Self.user()
        )
        #expect(result.attributes["name"]?.objectValue?["givenName"] == "Barb")
        #expect(result.attributes["name"]?.objectValue?["GIVENNAME"] == nil)
        let work = result.attributes["emails"]?.arrayValue?.first?.objectValue
        #expect(work?["value"] == "b@example.com")
        #expect(work?["Value"] == nil)
    }
}
