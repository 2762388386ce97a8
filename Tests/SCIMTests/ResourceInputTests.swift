import Testing

@testable import SCIM

// MARK: - Helpers

private let userURN = "urn:ietf:params:scim:schemas:core:2.0:User"
private let groupURN = "urn:ietf:params:scim:schemas:core:2.0:Group"
private let enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

/// Parses JSON text written by a test and returns it as an object.
private func object(_ text: String) throws -> JSONObject {
    try #require(try JSONParser().parse(text).objectValue)
}

/// Parses JSON text written by a test.
private func json(_ text: String) throws -> JSONValue {
    try JSONParser().parse(text)
}

/// Normalizes a POST body written as JSON text.
private func normalize(_ body: String, schema: ResourceSchema = .user) throws -> NormalizedResource {
    try ResourceNormalizer.normalize(json(body), schema: schema)
}

/// The SCIM error normalizing a POST body raises.
private func normalizeError(_ body: String, schema: ResourceSchema = .user, sourceLocation: SourceLocation = #_sourceLocation) throws -> SCIMError {
    try #require(throws: SCIMError.self, sourceLocation: sourceLocation) { try normalize(body, schema: schema) }
}

/// Applies a PUT body written as JSON text to stored attributes.
private func replace(_ body: String, _ current: JSONObject, schema: ResourceSchema = .user) throws -> PatchResult {
    try ResourceReplacement.apply(json(body), to: current, schema: schema, resourceID: schema == .group ? "g-1" : "u-1")
}

/// POST bodies (``ResourceNormalizer``) and PUT bodies (``ResourceReplacement``) as Okta, Entra, OneLogin and
/// JumpCloud send them (docs/IDP-BEHAVIOURS.md §1.5, §1.6, §2.2, §2.6, §3, §4, §5.3, §5.5, §6; the sections cited
/// below are that document's).
@Suite("Resource input: POST and PUT bodies")
struct ResourceInputTests {
    // MARK: POST /Users

    /// Okta's create body (§1.5) with the enterprise block Okta may add, a custom attribute and a custom extension.
    static let oktaCreate = #"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                    "urn:okta:schemas:extension:custom:1.0:User"],
         "userName":"test.user@okta.local",
         "name":{"givenName":"Test","familyName":"User"},
         "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
         "displayName":"Test User","locale":"en-US",
         "externalId":"00ujl29u0le5T6Aj10h7",
         "groups":[],"password":"1mz050nq","active":true,
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engineering"},
         "costCode":"CC-42",
         "urn:okta:schemas:extension:custom:1.0:User":{"badgeNumber":"B-7","floor":3}}
        """#

    @Test func oktaCreateDropsPasswordGroupsAndUndefinedAttributesAndKeepsEverythingElse() throws {
        let normalized = try normalize(Self.oktaCreate)
        let expected = try object(
            #"""
            {"userName":"test.user@okta.local","name":{"givenName":"Test","familyName":"User"},
             "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
             "displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","active":true,
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engineering"},
             "urn:okta:schemas:extension:custom:1.0:User":{"badgeNumber":"B-7","floor":3}}
            """#
        )
        #expect(normalized.attributes == expected)
        #expect(normalized.ignoredAttributes == ["costCode"], "a top-level attribute the core schema does not define")
        #expect(normalized.attributes["password"] == nil)
        #expect(normalized.attributes["groups"] == nil)
        #expect(normalized.attributes["schemas"] == nil)
        #expect(normalized.attributes["externalId"] == "00ujl29u0le5T6Aj10h7")
        #expect(normalized.members == nil)
    }

    @Test func oktaCreateRendersWithComputedSchemasAndNoPassword() throws {
        let normalized = try normalize(Self.oktaCreate)
        let meta = ResourceMeta(
            created: "2024-05-01T10:00:00Z",
            lastModified: "2024-05-01T10:00:00Z",
            location: "https://roster.example/scim/v2/Users/u-1"
        )
        let rendered = ResourceRenderer.render(schema: .user, id: "u-1", attributes: normalized.attributes, meta: meta)
        #expect(rendered["schemas"] == .array([.string(userURN), .string(enterpriseURN), "urn:okta:schemas:extension:custom:1.0:User"]))
        #expect(rendered["id"] == "u-1")
        #expect(rendered["externalId"] == "00ujl29u0le5T6Aj10h7")
        #expect(rendered["userName"] == "test.user@okta.local")
        #expect(rendered["active"] == .bool(true))
        #expect(rendered["costCode"] == nil)
        #expect(rendered[enterpriseURN] == .object(try object(#"{"department":"Engineering"}"#)))
        #expect(rendered["urn:okta:schemas:extension:custom:1.0:User"] == .object(try object(#"{"badgeNumber":"B-7","floor":3}"#)))
        #expect(rendered["password"] == nil)
        #expect(rendered["groups"] == nil)
        #expect(!rendered.keys.contains { $0.caseInsensitiveEquals("password") })
        #expect(!JSONValue.object(rendered).serialized().contains("1mz050nq"))
        #expect(rendered["meta"]?.objectValue?["resourceType"] == "User")
        #expect(rendered.keys.first == "schemas")
        #expect(rendered.keys.last == "meta")

        // The rendered resource, posted back as it is (Okta's read-modify-write), normalizes to the same attributes.
        let again = try ResourceNormalizer.normalize(.object(rendered), schema: .user)
        #expect(again.attributes == normalized.attributes)
    }

    @Test func entraCreateWithNullsMetaMalformedURNAndStringTrue() throws {
        // Example 2 of Microsoft's tutorial plus the Postman collection's "active":"True" (§2.2, §2.6).
        let normalized = try normalize(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
             "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
             "userName":"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081","active":"True",
             "addresses":null,"displayName":"Test User",
             "emails":[{"primary":true,"type":"work","value":"Test_User_11bb6f2d@testuser.com"}],
             "meta":{"resourceType":"User"},
             "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
             "phoneNumbers":null,"preferredLanguage":null,"title":null,"department":null,"manager":null,
             "roles":[]}
            """#
        )
        let expected = try object(
            #"""
            {"externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081",
             "active":true,"displayName":"Test User",
             "emails":[{"primary":true,"type":"work","value":"Test_User_11bb6f2d@testuser.com"}],
             "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"}}
            """#
        )
        #expect(normalized.attributes == expected)
        #expect(normalized.attributes["active"] == .bool(true))
        for key in ["addresses", "phoneNumbers", "preferredLanguage", "title", "department", "manager", "roles", "meta"] {
            #expect(normalized.attributes[key] == nil, "\(key) should not be stored")
        }
        let rendered = ResourceRenderer.render(schema: .user, id: "u-2", attributes: normalized.attributes)
        #expect(rendered["schemas"] == [.string(userURN)])
        #expect(rendered["active"] == .bool(true))
    }

    @Test func entraEnterpriseBlockWithCapitalisedNamesAndStringManager() throws {
        let normalized = try normalize(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "userName":"Test_User_2","active":true,
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"Department":"Sales","employeeNumber":null,"manager":"myuser"}}
            """#
        )
        #expect(normalized.attributes[enterpriseURN] == .object(try object(#"{"department":"Sales","manager":{"value":"myuser"}}"#)))
    }

    @Test func oneLoginTemplateWithLegacyURNNullIDAndSingleEmailObject() throws {
        let normalized = try normalize(
            #"""
            {"schemas":["urn:scim:schemas:core:2.0"],"userName":"onelogin-test-user01",
             "name":{"familyName":"User","givenName":"Test","formatted":"Test User"},
             "emails":{"value":"onelogin-test-user01@example.com","type":"work","primary":true},
             "active":"true","id":null,"meta":{"resourceType":"User"}}
            """#
        )
        let expected = try object(
            #"""
            {"userName":"onelogin-test-user01","name":{"familyName":"User","givenName":"Test","formatted":"Test User"},
             "emails":[{"value":"onelogin-test-user01@example.com","type":"work","primary":true}],"active":true}
            """#
        )
        #expect(normalized.attributes == expected)
        #expect(normalized.attributes["id"] == nil)
    }

    @Test func legacyEnterpriseURNKeyIsStoredUnderTheCurrentURN() throws {
        let normalized = try normalize(
            #"""
            {"schemas":["urn:scim:schemas:core:2.0","urn:scim:schemas:extension:enterprise:2.0"],"userName":"onelogin-test-user02",
             "urn:scim:schemas:extension:enterprise:2.0":{"department":"Support"}}
            """#
        )
        #expect(normalized.attributes[enterpriseURN] == .object(try object(#"{"department":"Support"}"#)))
        #expect(normalized.attributes["urn:scim:schemas:extension:enterprise:2.0"] == nil)
    }

    @Test func coreAttributesNestedUnderTheCoreURNAreFlattened() throws {
        let normalized = try normalize(
            #"{"userName":"nested","urn:ietf:params:scim:schemas:core:2.0:User":{"title":"Engineer","nickName":"N"}}"#
        )
        #expect(normalized.attributes == (try object(#"{"userName":"nested","title":"Engineer","nickName":"N"}"#)))
    }

    @Test func jumpCloudNullsAndEmptyArraysAreNotStored() throws {
        let normalized = try normalize(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "userName":"testuser@example.io","externalId":"66e2d6a1b2c3d4e5f6a7b8c9","active":true,
             "displayName":"displayname","locale":"en-US","preferredLanguage":"en-US",
             "name":{"givenName":"firstname","familyName":"lastname"},
             "emails":null,"addresses":[],"phoneNumbers":[],"photos":[],"title":"",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{}}
            """#
        )
        for key in ["emails", "addresses", "phoneNumbers", "photos", enterpriseURN] {
            #expect(normalized.attributes[key] == nil, "\(key) should not be stored")
        }
        #expect(normalized.attributes["userName"] == "testuser@example.io")
        #expect(normalized.attributes["externalId"] == "66e2d6a1b2c3d4e5f6a7b8c9")
        #expect(normalized.attributes["name"] == .object(try object(#"{"givenName":"firstname","familyName":"lastname"}"#)))
    }

    @Test func jumpCloudFullCreateKeepsItsMultiValuedAttributes() throws {
        let normalized = try normalize(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "userName":"testuser@example.io","active":true,
             "emails":[{"primary":true,"type":"work","value":"testuser@example.io"}],
             "phoneNumbers":[{"primary":true,"type":"work","value":"tel:+1-555-555-5555"}],
             "addresses":[{"type":"work","primary":true,"country":"US","locality":"Louisville","postalCode":"80027","region":"CO",
                           "streetAddress":"361 Centennial Pkwy"}]}
            """#
        )
        #expect(normalized.attributes["phoneNumbers"] == (try json(#"[{"primary":true,"type":"work","value":"tel:+1-555-555-5555"}]"#)))
        #expect(normalized.attributes["addresses"]?.arrayValue?.first?.objectValue?["postalCode"] == "80027")
    }

    @Test func attributeNamesInTheWrongCaseGetTheirCanonicalSpelling() throws {
        let normalized = try normalize(
            #"""
            {"SCHEMAS":["urn:ietf:params:scim:schemas:core:2.0:User"],"USERNAME":"jdoe@example.com",
             "Name.GivenName":"John","NAME":{"FamilyName":"Doe"},
             "Emails":[{"Value":"jdoe@example.com","Type":"work","Primary":"True"}],
             "ACTIVE":"false","DisplayName":"John Doe"}
            """#
        )
        let expected = try object(
            #"""
            {"userName":"jdoe@example.com","name":{"givenName":"John","familyName":"Doe"},
             "emails":[{"value":"jdoe@example.com","type":"work","primary":true}],"active":false,"displayName":"John Doe"}
            """#
        )
        #expect(normalized.attributes == expected)
        #expect(normalized.attributes.keys.sorted() == ["active", "displayName", "emails", "name", "userName"])
        #expect(normalized.attributes["name"]?.objectValue?.keys.sorted() == ["familyName", "givenName"])
        #expect(normalized.attributes["emails"]?.arrayValue?.first?.objectValue?.keys.sorted() == ["primary", "type", "value"])
    }

    @Test func undefinedTopLevelAttributesOfAnyJSONTypeAreIgnoredButKeptUnderAnExtension() throws {
        let normalized = try normalize(
            #"{"userName":"custom","isContractor":true,"level":3,"tags":["a","b"],"profile":{"team":"Blue","seat":12},"nothing":null}"#
        )
        #expect(normalized.attributes == (try object(#"{"userName":"custom"}"#)))
        #expect(Set(normalized.ignoredAttributes) == ["isContractor", "level", "tags", "profile", "nothing"])
        let custom = "urn:example:params:scim:schemas:extension:acme:2.0:User"
        let extended = try normalize(
            #"{"userName":"custom","\#(custom)":{"isContractor":true,"level":3,"tags":["a","b"],"profile":{"team":"Blue","seat":12}}}"#
        )
        #expect(
            extended.attributes[custom]
                == .object(try object(#"{"isContractor":true,"level":3,"tags":["a","b"],"profile":{"team":"Blue","seat":12}}"#))
        )
        #expect(extended.ignoredAttributes.isEmpty)
    }

    @Test func unqualifiedEnterpriseAttributesGoIntoTheExtension() throws {
        // Entra's tutorial puts `department` and `manager` at the top level of its create body.
        let normalized = try normalize(#"{"userName":"ent","department":"Sales","manager":"m-1","title":null}"#)
        let expected = try object(
            #"{"userName":"ent","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","manager":{"value":"m-1"}}}"#
        )
        #expect(normalized.attributes == expected)
    }

    @Test func multiValuedInputKeepsAtMostOnePrimary() throws {
        let normalized = try normalize(
            #"""
            {"userName":"two.primaries","emails":[{"value":"a@example.com","type":"work","primary":true},
                                                  {"value":"b@example.com","type":"home","primary":"True"}]}
            """#
        )
        #expect(
            normalized.attributes["emails"]
                == (try json(#"[{"value":"a@example.com","type":"work","primary":true},{"value":"b@example.com","type":"home","primary":false}]"#))
        )
    }

    @Test func rolesPrimaryStringTrueBecomesABoolean() throws {
        let normalized = try normalize(#"{"userName":"r","roles":[{"value":"Admin","primary":"True"}]}"#)
        #expect(normalized.attributes["roles"] == (try json(#"[{"value":"Admin","primary":true}]"#)))
    }

    @Test(arguments: [
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"name":{"givenName":"No"},"active":true}"#,
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userame":"misspelled@example.com"}"#,
        #"{"userName":null}"#,
        #"{"userName":""}"#,
        #"{"not":"a scim resource"}"#,
        "{}",
    ])
    func userWithoutUserNameIsInvalidValue(body: String) throws {
        let error = try normalizeError(body)
        #expect(error.scimType == .invalidValue)
        #expect(error.status == 400)
    }

    @Test(arguments: [#"[{"userName":"x"}]"#, #""userName""#, "42", "true", "null"])
    func bodyThatIsNotAnObjectIsInvalidSyntax(body: String) throws {
        let error = try normalizeError(body)
        #expect(error.scimType == .invalidSyntax)
        #expect(error.status == 400)
    }

    @Test(arguments: [#"{"userName":"x","active":"yes"}"#, #"{"userName":"x","name":"John Doe"}"#, #"{"userName":{"value":"x"}}"#])
    func valueOfTheWrongTypeIsInvalidValue(body: String) throws {
        let error = try normalizeError(body)
        #expect(error.scimType == .invalidValue)
    }

    @Test func readOnlyAttributesInAPostBodyAreIgnored() throws {
        let normalized = try normalize(
            #"""
            {"id":"client-chosen-id","userName":"ro","groups":[{"value":"g1","display":"Admins"}],
             "meta":{"created":"04-12-2018 00:00:00","version":"v1.0"}}
            """#
        )
        #expect(normalized.attributes == (try object(#"{"userName":"ro"}"#)))
    }

    // MARK: POST /Groups

    @Test func entraGroupCreateWithTheADSCIMURN() throws {
        let normalized = try normalize(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
             "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"displayName","meta":{"resourceType":"Group"}}
            """#,
            schema: .group
        )
        #expect(normalized.attributes == (try object(#"{"externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"displayName"}"#)))
        #expect(normalized.members == nil)
        let rendered = ResourceRenderer.render(schema: .group, id: "g-1", attributes: normalized.attributes)
        #expect(rendered["schemas"] == [.string(groupURN)])
    }

    @Test func oktaAIWGroupCreateWithMembers() throws {
        let normalized = try normalize(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Test SCIMv2",
             "members":[{"value":"23a35c27-23d3-4c03-b4c5-6443c09e7173","display":"test.user@okta.local"},
                        {"value":"0b7c6a5e-8f1e-4a0c-9d4e-2b3c4d5e6f70","display":"other.user@okta.local","type":"User"}]}
            """#,
            schema: .group
        )
        #expect(normalized.attributes == (try object(#"{"displayName":"Test SCIMv2"}"#)))
        #expect(
            normalized.members == [
                GroupMember(value: "23a35c27-23d3-4c03-b4c5-6443c09e7173", display: "test.user@okta.local"),
                GroupMember(value: "0b7c6a5e-8f1e-4a0c-9d4e-2b3c4d5e6f70", type: "User", display: "other.user@okta.local"),
            ]
        )
    }

    @Test func oktaOINGroupCreateWithAnEmptyMemberList() throws {
        let normalized = try normalize(
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Test SCIMv2","members":[]}"#,
            schema: .group
        )
        #expect(normalized.attributes == (try object(#"{"displayName":"Test SCIMv2"}"#)))
        #expect(normalized.members == [])
    }

    @Test(arguments: [
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"members":[]}"#,
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":null}"#,
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":""}"#,
    ])
    func groupWithoutDisplayNameIsInvalidValue(body: String) throws {
        let error = try normalizeError(body, schema: .group)
        #expect(error.scimType == .invalidValue)
        #expect(error.status == 400)
    }

    @Test func groupMemberWithoutAValueIsInvalidValue() throws {
        let error = try normalizeError(#"{"displayName":"G","members":[{"display":"no id"}]}"#, schema: .group)
        #expect(error.scimType == .invalidValue)
    }

    // MARK: PUT /Users (read-modify-write)

    /// The user as stored after Okta's create, with a title set later.
    static let storedUser = #"""
        {"userName":"test.user@okta.local","name":{"givenName":"Test","familyName":"User"},
         "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
         "displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","active":true,"title":"Engineer"}
        """#

    @Test func oktaReadModifyWritePutIgnoresReadOnlyAndClearsOmittedAttributes() throws {
        let current = try object(Self.storedUser)
        let result = try replace(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-1","userName":"test.user@okta.local",
             "name":{"givenName":"Another","middleName":"Excited","familyName":"User"},
             "emails":[{"primary":true,"value":"test.user@okta.local","type":"work","display":"test.user@okta.local"}],
             "displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7",
             "active":true,"groups":[{"value":"g-1","display":"Admins"}],"password":"1mz050nq",
             "meta":{"resourceType":"User","created":"04-12-2018 00:00:00","lastModified":"04-12-2018 00:00:00","version":"v1.0"}}
            """#,
            current
        )
        let expected = try object(
            #"""
            {"userName":"test.user@okta.local","name":{"givenName":"Another","middleName":"Excited","familyName":"User"},
             "emails":[{"primary":true,"value":"test.user@okta.local","type":"work","display":"test.user@okta.local"}],
             "displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","active":true}
            """#
        )
        #expect(result.attributes == expected)
        // title was omitted, so it is cleared (replace semantics, §6.8).
        #expect(result.attributes["title"] == nil)
        for key in ["id", "meta", "groups", "password", "schemas"] {
            #expect(result.attributes[key] == nil, "\(key) should not be stored")
        }
        #expect(Set(result.changedAttributes) == ["name", "emails", "title"])
        #expect(result.membershipChanges.isEmpty)
    }

    @Test func putWithoutActiveKeepsTheCurrentActive() throws {
        var current = try object(Self.storedUser)
        current["active"] = false
        let result = try replace(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"test.user@okta.local"}"#, current)
        #expect(result.attributes["active"] == .bool(false))
        #expect(result.attributes == (try object(#"{"userName":"test.user@okta.local","active":false}"#)))
        #expect(!result.changedAttributes.contains("active"))

        current["active"] = true
        let stillActive = try replace(#"{"userName":"test.user@okta.local"}"#, current)
        #expect(stillActive.attributes["active"] == .bool(true))
    }

    @Test func putWithActiveFalseDeactivates() throws {
        // Okta AIW deactivation: GET, then PUT the full body with active flipped (§1.7).
        let current = try object(Self.storedUser)
        let result = try replace(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-1","userName":"test.user@okta.local",
             "name":{"givenName":"Test","familyName":"User"},
             "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
             "displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","active":false,"title":"Engineer"}
            """#,
            current
        )
        var expected = current
        expected["active"] = false
        #expect(result.attributes == expected)
        #expect(result.changedAttributes == ["active"])
    }

    @Test func putWithStringActiveIsCoerced() throws {
        let result = try replace(#"{"userName":"test.user@okta.local","active":"False"}"#, try object(Self.storedUser))
        #expect(result.attributes["active"] == .bool(false))
    }

    @Test func putWithAnUnknownAttributeIsAcceptedWithoutIt() throws {
        // Microsoft's collection: PUT with the misspelled `adreses` gets 200; docs/IDP-BEHAVIOURS.md §6.9: ignore it.
        let result = try replace(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"test.user@okta.local",
             "adreses":[{"type":"work","streetAddress":"234300 Some Address","locality":"Redmond","postalCode":"12345","country":"USA"}],
             "displayName":"Updated"}
            """#,
            try object(Self.storedUser)
        )
        #expect(result.attributes["displayName"] == "Updated")
        #expect(result.attributes["addresses"] == nil)
        #expect(result.attributes["userName"] == "test.user@okta.local")
        #expect(result.attributes["adreses"] == nil)
        #expect(!result.changedAttributes.contains("adreses"))
    }

    @Test(arguments: [
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userame":"test.user@okta.local","active":true}"#,
        #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-1","displayName":"No userName"}"#,
    ])
    func putWithoutUserNameIsInvalidValue(body: String) throws {
        let error = try #require(throws: SCIMError.self) { try replace(body, try object(Self.storedUser)) }
        #expect(error.scimType == .invalidValue)
        #expect(error.status == 400)
    }

    @Test func jumpCloudMinimalPutClearsEmails() throws {
        let result = try replace(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-1","userName":"test.user@okta.local",
             "emails":null,"addresses":[],"phoneNumbers":[],"active":true}
            """#,
            try object(Self.storedUser)
        )
        #expect(result.attributes == (try object(#"{"userName":"test.user@okta.local","active":true}"#)))
        #expect(Set(result.changedAttributes) == ["name", "emails", "displayName", "locale", "externalId", "title"])
    }

    @Test func putThatChangesNothingReportsNoChange() throws {
        let current = try object(Self.storedUser)
        let result = try replace(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-1","userName":"test.user@okta.local",
             "name":{"givenName":"Test","familyName":"User"},
             "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
             "displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","active":true,"title":"Engineer",
             "meta":{"resourceType":"User"}}
            """#,
            current
        )
        #expect(result.attributes == current)
        #expect(result.changedAttributes.isEmpty)
    }

    // MARK: PUT /Groups

    @Test func groupPutWithMembersReplacesTheList() throws {
        let result = try replace(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g-1","displayName":"Test SCIMv2",
             "members":[{"value":"u1","display":"one@okta.local"},{"value":"u2","display":"two@okta.local"}]}
            """#,
            try object(#"{"displayName":"Test SCIMv2"}"#),
            schema: .group
        )
        let list = [GroupMember(value: "u1", display: "one@okta.local"), GroupMember(value: "u2", display: "two@okta.local")]
        #expect(result.membershipChanges == [.replace(list)])
        #expect(result.attributes == (try object(#"{"displayName":"Test SCIMv2"}"#)))
        #expect(result.changedAttributes.isEmpty)
        #expect(MembershipChange.apply(result.membershipChanges, to: [GroupMember(value: "u0"), GroupMember(value: "u2")]) == list)
    }

    @Test func groupPutWithAnEmptyMemberListEmptiesTheGroup() throws {
        let result = try replace(#"{"displayName":"Test SCIMv2","members":[]}"#, try object(#"{"displayName":"Test SCIMv2"}"#), schema: .group)
        #expect(result.membershipChanges == [.replace([])])
    }

    @Test func groupPutWithoutMembersLeavesMembershipAlone() throws {
        let result = try replace(
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Renamed"}"#,
            try object(#"{"displayName":"Test SCIMv2","externalId":"ext-g"}"#),
            schema: .group
        )
        #expect(result.membershipChanges.isEmpty)
        #expect(result.attributes == (try object(#"{"displayName":"Renamed"}"#)))
        #expect(Set(result.changedAttributes) == ["displayName", "externalId"])
    }
}
