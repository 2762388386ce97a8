import Testing

@testable import SCIM

/// A JSON object from JSON text.
private func document(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONObject {
    try #require(try JSONParser().parse(json).objectValue, sourceLocation: sourceLocation)
}

/// Parses and validates `text` against `schema`, then evaluates it against `document`.
private func evaluate(_ text: String, _ document: JSONObject, schema: ResourceSchema = .user) throws -> Bool {
    let filter = try FilterParser().parse(text)
    try filter.validate(for: schema)
    return filter.matches(document, schema: schema)
}

/// The error `validate(for:)` throws for `text`, which must parse.
private func validationError(
    _ text: String,
    schema: ResourceSchema = .user,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> SCIMError? {
    let filter = try FilterParser().parse(text)
    return #expect(throws: SCIMError.self, sourceLocation: sourceLocation) { try filter.validate(for: schema) }
}

/// A filter and the users of ``FilterEvaluationTests/population`` it must match, by `userName`.
struct FilterEvaluationCase: Sendable, CustomTestStringConvertible {
    let filter: String
    let matching: Set<String>

    var testDescription: String { filter }
}

@Suite("Filter evaluation")
struct FilterEvaluationTests {
    // MARK: Population for the RFC examples

    /// Six users in stored form. Their `meta.lastModified` instants, around T0 = 2011-05-13T04:42:34Z:
    /// bjensen T0, John T0-1s, comalley T0+1s (written in +02:00), jdoe T0 (written in +02:00), the others none.
    static let population: [String] = [
        #"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "id":"2819c223-7f76-453a-919d-413861904646","externalId":"bjensen-ext-01","userName":"bjensen",
         "name":{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara"},
         "displayName":"Babs Jensen","title":"Tour Guide","userType":"Employee","active":true,
         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
         "ims":[{"value":"someaimhandle","type":"aim"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"Sales",
           "manager":{"value":"m1","displayName":"John Smith"}},
         "meta":{"resourceType":"User","created":"2010-01-23T04:56:22Z","lastModified":"2011-05-13T04:42:34Z"}}
        """#,
        #"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-john","userName":"John",
         "name":{"familyName":"Smith","givenName":"John"},"userType":"Intern","active":false,
         "emails":[{"value":"john.smith@example.org","type":"work"}],"ims":[{"value":"jsmith@foo.com","type":"xmpp"}],
         "meta":{"resourceType":"User","lastModified":"2011-05-13T04:42:33Z"}}
        """#,
        #"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-comalley","userName":"comalley",
         "name":{"familyName":"O'Malley","givenName":"Colleen"},"title":"","userType":"Contractor","active":true,
         "emails":[{"value":"colleen@example.com","type":"home"}],
         "meta":{"resourceType":"User","lastModified":"2011-05-13T06:42:35+02:00"}}
        """#,
        #"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "id":"u-jdoe","userName":"jdoe","name":{"familyName":"Doe","givenName":"Jane"},"title":"Engineer",
         "userType":"Employee","active":true,
         "emails":[{"value":"jdoe@example.org","type":"work"}],"ims":[{"value":"jdoe@bar.com","type":"xmpp"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engineering","manager":{"value":"m2"}},
         "meta":{"resourceType":"User","lastModified":"2011-05-13T06:42:34+02:00"}}
        """#,
        #"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-ewong","userName":"ewong",
         "name":{"familyName":"Wong","givenName":"Emma"},"title":"VP","userType":"Contractor",
         "emails":[{"value":"ewong@corp.test","type":"home"}]}
        """#,
        #"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-tnguyen","userName":"tnguyen",
         "name":{"familyName":"Nguyen","givenName":"Tam"},"userType":"Employee","active":true,
         "emails":[{"value":"tnguyen@corp.test","type":"home"}]}
        """#,
    ]

    /// Every example filter of RFC 7644 §3.4.2.2 with the users it selects from ``population``.
    static let rfcCases: [FilterEvaluationCase] = [
        FilterEvaluationCase(filter: #"userName eq "bjensen""#, matching: ["bjensen"]),
        FilterEvaluationCase(filter: #"name.familyName co "O'Malley""#, matching: ["comalley"]),
        FilterEvaluationCase(filter: #"userName sw "J""#, matching: ["John", "jdoe"]),
        FilterEvaluationCase(filter: #"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#, matching: ["John", "jdoe"]),
        FilterEvaluationCase(filter: "title pr", matching: ["bjensen", "jdoe", "ewong"]),
        FilterEvaluationCase(filter: #"meta.lastModified gt "2011-05-13T04:42:34Z""#, matching: ["comalley"]),
        FilterEvaluationCase(filter: #"meta.lastModified ge "2011-05-13T04:42:34Z""#, matching: ["bjensen", "comalley", "jdoe"]),
        FilterEvaluationCase(filter: #"meta.lastModified lt "2011-05-13T04:42:34Z""#, matching: ["John"]),
        FilterEvaluationCase(filter: #"meta.lastModified le "2011-05-13T04:42:34Z""#, matching: ["bjensen", "John", "jdoe"]),
        FilterEvaluationCase(filter: #"title pr and userType eq "Employee""#, matching: ["bjensen", "jdoe"]),
        FilterEvaluationCase(filter: #"title pr or userType eq "Intern""#, matching: ["bjensen", "John", "jdoe", "ewong"]),
        FilterEvaluationCase(
            filter: #"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            matching: ["bjensen", "jdoe"]
        ),
        FilterEvaluationCase(
            filter: #"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            matching: ["bjensen", "jdoe"]
        ),
        FilterEvaluationCase(
            filter: #"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
            matching: ["ewong"]
        ),
        FilterEvaluationCase(filter: #"userType eq "Employee" and (emails.type eq "work")"#, matching: ["bjensen", "jdoe"]),
        FilterEvaluationCase(
            filter: #"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            matching: ["bjensen"]
        ),
        FilterEvaluationCase(
            filter: #"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
            matching: ["bjensen", "John"]
        ),
        FilterEvaluationCase(filter: #"userName Eq "john""#, matching: ["John"]),
        FilterEvaluationCase(filter: #"Username eq "john""#, matching: ["John"]),
    ]

    /// The population keyed by `userName`.
    static func users() throws -> [(userName: String, document: JSONObject)] {
        try population.map { json in
            let user = try document(json)
            return (try #require(user["userName"]?.stringValue), user)
        }
    }

    /// The userNames of the population that `text` selects.
    static func selected(by text: String, schema: ResourceSchema = .user) throws -> Set<String> {
        let filter = try FilterParser().parse(text)
        try filter.validate(for: schema)
        return Set(try users().filter { filter.matches($0.document, schema: schema) }.map(\.userName))
    }

    @Test(arguments: rfcCases)
    func rfcExampleSelectsExactlyTheExpectedUsers(_ example: FilterEvaluationCase) throws {
        let everyone = Set(try Self.users().map(\.userName))
        #expect(example.matching.isSubset(of: everyone))
        #expect(!example.matching.isEmpty, "each example must match someone")
        #expect(example.matching != everyone, "each example must also reject someone")
        #expect(try Self.selected(by: example.filter) == example.matching)
    }

    // MARK: Precedence decides the result

    @Test func andBindsTighterThanOrWhenEvaluating() throws {
        // bjensen: Employee with a title; John: Intern without one.
        #expect(try Self.selected(by: #"userType eq "Intern" or userType eq "Employee" and title pr"#) == ["John", "bjensen", "jdoe"])
        #expect(try Self.selected(by: #"(userType eq "Intern" or userType eq "Employee") and title pr"#) == ["bjensen", "jdoe"])
    }

    @Test func notNegatesOnlyItsGroup() throws {
        #expect(try Self.selected(by: #"not (userType eq "Employee") and title pr"#) == ["ewong"])
        #expect(try Self.selected(by: #"not (userType eq "Employee" and title pr)"#) == ["John", "comalley", "ewong", "tnguyen"])
    }

    @Test func realisticNestingEvaluates() throws {
        let text = String(repeating: "(", count: 10) + #"userName eq "jdoe""# + String(repeating: ")", count: 10)
        #expect(try Self.selected(by: text) == ["jdoe"])
        let evenNots = String(repeating: "not (", count: 10) + #"userName eq "jdoe""# + String(repeating: ")", count: 10)
        #expect(try Self.selected(by: evenNots) == ["jdoe"])
        let oddNots = String(repeating: "not (", count: 11) + #"userName eq "jdoe""# + String(repeating: ")", count: 11)
        #expect(try Self.selected(by: oddNots) == ["John", "bjensen", "comalley", "ewong", "tnguyen"])
    }

    // MARK: Entra

    static let entraUsers: [String] = [
        #"{"userName":"work-x","emails":[{"value":"x@contoso.com","type":"work","primary":true}]}"#,
        #"{"userName":"home-x","emails":[{"value":"y@contoso.com","type":"work"},{"value":"x@contoso.com","type":"home"}]}"#,
        #"{"userName":"work-X-upper","emails":[{"value":"X@Contoso.com","type":"WORK"}]}"#,
        #"{"userName":"untyped-x","emails":[{"value":"x@contoso.com"}]}"#,
        #"{"userName":"no-emails"}"#,
    ]

    @Test func entraWorkEmailValuePathMatchesOnlyTheWorkEmail() throws {
        let filter = try FilterParser().parse(#"emails[type eq "work"].value eq "x@contoso.com""#)
        try filter.validate(for: .user)
        var matched: Set<String> = []
        for json in Self.entraUsers {
            let user = try document(json)
            if filter.matches(user, schema: .user), let name = user["userName"]?.stringValue { matched.insert(name) }
        }
        // emails.type and emails.value are caseExact false.
        #expect(matched == ["work-x", "work-X-upper"])
    }

    @Test func entraWorkEmailValuePathDiffersFromUnscopedSubAttributes() throws {
        // "emails.type eq work and emails.value eq x" matches a user whose work and x emails are different entries.
        let user = try document(Self.entraUsers[1])
        #expect(try evaluate(#"emails.type eq "work" and emails.value eq "x@contoso.com""#, user))
        #expect(try !evaluate(#"emails[type eq "work"].value eq "x@contoso.com""#, user))
        #expect(try evaluate(#"emails[type eq "home"].value eq "x@contoso.com""#, user))
    }

    @Test func externalIdIsCaseExact() throws {
        let user = try document(#"{"userName":"u","externalId":"0a21f0f2-8d2a-4f8e-BF98-7363c4aed4ef"}"#)
        #expect(try evaluate(#"externalId eq "0a21f0f2-8d2a-4f8e-BF98-7363c4aed4ef""#, user))
        #expect(try !evaluate(#"externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef""#, user))
        #expect(try !evaluate(#"externalId eq "0A21F0F2-8D2A-4F8E-BF98-7363C4AED4EF""#, user))
        #expect(try !evaluate(#"externalId sw "0A21""#, user))
        #expect(try evaluate(#"externalId sw "0a21""#, user))
    }

    @Test func idIsCaseExact() throws {
        let user = try document(#"{"id":"AbC-123","userName":"u"}"#)
        #expect(try evaluate(#"id eq "AbC-123""#, user))
        #expect(try !evaluate(#"id eq "abc-123""#, user))
    }

    @Test func userNameEqualityIgnoresCase() throws {
        let user = try document(#"{"userName":"Test_User_00aa00aa@contoso.com"}"#)
        #expect(try evaluate(#"userName eq "Test_User_00aa00aa@contoso.com""#, user))
        #expect(try evaluate(#"userName eq "test_user_00AA00AA@CONTOSO.COM""#, user))
        #expect(try !evaluate(#"userName eq "Test_User_00aa00ab@contoso.com""#, user))
        #expect(try !evaluate(#"userName eq "Test_User_00aa00aa@contoso.co""#, user))
    }

    @Test func groupDisplayNameEqualityIgnoresCase() throws {
        let group = try document(#"{"displayName":"Sales Team","externalId":"8aa1a0c0-AB"}"#)
        #expect(try evaluate(#"displayName eq "sales team""#, group, schema: .group))
        #expect(try !evaluate(#"displayName eq "Sales Teams""#, group, schema: .group))
        #expect(try evaluate(#"externalId eq "8aa1a0c0-AB""#, group, schema: .group))
        #expect(try !evaluate(#"externalId eq "8aa1a0c0-ab""#, group, schema: .group))
    }

    /// A filter with a user document it must match and one it must not.
    struct MatchPair: Sendable, CustomTestStringConvertible {
        let filter: String
        let matching: String
        let other: String

        var testDescription: String { filter }
    }

    /// Filters with attribute names and operators in unusual case.
    static let caseInsensitiveNameCases: [MatchPair] = [
        MatchPair(filter: #"USERNAME EQ "bjensen""#, matching: #"{"userName":"bjensen"}"#, other: #"{"userName":"jdoe"}"#),
        MatchPair(
            filter: #"name.FamilyName eq "jensen""#,
            matching: #"{"name":{"familyName":"Jensen"}}"#,
            other: #"{"name":{"givenName":"Jensen"}}"#
        ),
        MatchPair(
            filter: #"emails.Value eq "BJENSEN@example.com""#,
            matching: #"{"emails":[{"value":"bjensen@example.com"}]}"#,
            other: #"{"emails":[{"value":"b@example.com"}]}"#
        ),
        MatchPair(
            filter: #"meta.Created gt "2015-01-01T00:00:00Z""#,
            matching: #"{"meta":{"created":"2016-01-01T00:00:00Z"}}"#,
            other: #"{"meta":{"created":"2014-01-01T00:00:00Z"}}"#
        ),
        MatchPair(
            filter: #"Emails[Type EQ "work" AND Value Co "@EXAMPLE"]"#,
            matching: #"{"emails":[{"type":"work","value":"a@example.com"}]}"#,
            other: #"{"emails":[{"type":"home","value":"a@example.com"}]}"#
        ),
        MatchPair(filter: "TITLE PR", matching: #"{"title":"Boss"}"#, other: #"{"title":""}"#),
        MatchPair(
            filter: #"NOT (userName EQ "x") AND title pr"#,
            matching: #"{"userName":"y","title":"t"}"#,
            other: #"{"userName":"X","title":"t"}"#
        ),
        MatchPair(filter: "ACTIVE eq TRUE", matching: #"{"active":true}"#, other: #"{"active":false}"#),
    ]

    @Test(arguments: caseInsensitiveNameCases)
    func attributeNamesAndOperatorsAreCaseInsensitive(_ example: MatchPair) throws {
        #expect(try evaluate(example.filter, try document(example.matching)))
        #expect(try !evaluate(example.filter, try document(example.other)))
    }

    // MARK: Microsoft's unquoted filters

    @Test func microsoftUnquotedFamilyNameAndEmailFilter() throws {
        let text = "name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)"
        #expect(try evaluate(text, try document(#"{"name":{"familyName":"Employee"},"emails":[{"value":"a@example.com"}]}"#)))
        #expect(try evaluate(text, try document(#"{"name":{"familyName":"employee"},"emails":[{"value":"a@EXAMPLE.org"}]}"#)))
        #expect(try !evaluate(text, try document(#"{"name":{"familyName":"Employee"},"emails":[{"value":"a@example.net"}]}"#)))
        #expect(try !evaluate(text, try document(#"{"name":{"familyName":"Manager"},"emails":[{"value":"a@example.com"}]}"#)))
    }

    @Test func microsoftUnquotedStartsWith() throws {
        #expect(try evaluate("userName sw O", try document(#"{"userName":"OliverP"}"#)))
        #expect(try evaluate("userName sw O", try document(#"{"userName":"oliverp"}"#)))
        #expect(try !evaluate("userName sw O", try document(#"{"userName":"pOlly"}"#)))
    }

    @Test func microsoftUnquotedDateTimeComparesChronologically() throws {
        // 2015-10-10T14:38:21.8617979-07:00 is 2015-10-10T21:38:21.8617979Z.
        let text = "meta.Created gt 2015-10-10T14:38:21.8617979-07:00"
        #expect(try evaluate(text, try document(#"{"meta":{"created":"2015-10-10T21:38:22Z"}}"#)))
        #expect(try evaluate(text, try document(#"{"meta":{"created":"2015-10-10T14:38:21.9-07:00"}}"#)))
        #expect(try !evaluate(text, try document(#"{"meta":{"created":"2015-10-10T21:38:21Z"}}"#)))
        #expect(try !evaluate(text, try document(#"{"meta":{"created":"2015-10-10T21:38:21.8617979Z"}}"#)))
        // Later as text, earlier as an instant.
        #expect(try !evaluate(text, try document(#"{"meta":{"created":"2015-10-10T23:00:00+05:00"}}"#)))
        #expect(try !evaluate(text, try document(#"{"userName":"no-meta"}"#)))
    }

    // MARK: URN-qualified names

    @Test func enterpriseDepartmentResolvesIntoExtensionObject() throws {
        #expect(try Self.selected(by: #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales""#) == ["bjensen"])
        #expect(try Self.selected(by: #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "sales""#) == ["bjensen"])
        #expect(try Self.selected(by: #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr"#) == ["bjensen", "jdoe"])
    }

    @Test func enterpriseManagerValueResolvesIntoExtensionObject() throws {
        #expect(try Self.selected(by: #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m1""#) == ["bjensen"])
        #expect(try Self.selected(by: #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m2""#) == ["jdoe"])
    }

    @Test func extensionAttributeIsNotReadFromTopLevel() throws {
        let topLevel = try document(#"{"userName":"u","department":"Sales","manager":{"value":"m1"}}"#)
        #expect(try !evaluate(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales""#, topLevel))
        #expect(try !evaluate(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m1""#, topLevel))
    }

    @Test func extensionPathResolvesToExtensionContainer() throws {
        let path = try #require(AttributePath(parsing: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"))
        #expect(path.schemaURN == "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        #expect(path.attribute == "manager")
        #expect(path.subAttribute == "value")
        let resolved = ResourceSchema.user.resolve(path)
        #expect(resolved.container == "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        #expect(resolved.name == "manager")
        #expect(resolved.subName == "value")
        #expect(resolved.isKnown)
    }

    @Test func upperCaseAndLegacyEnterpriseURNsMatchTheSameUsers() throws {
        #expect(try Self.selected(by: #"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:DEPARTMENT eq "Sales""#) == ["bjensen"])
        #expect(try Self.selected(by: #"urn:scim:schemas:extension:enterprise:2.0:User:department eq "Sales""#) == ["bjensen"])
    }

    @Test func wholeExtensionPresence() throws {
        #expect(try Self.selected(by: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User pr") == ["bjensen", "jdoe"])
    }

    @Test func urnQualifiedValuePaths() throws {
        #expect(try Self.selected(by: #"urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work" and value ew ".org"]"#) == ["John", "jdoe"])
        #expect(try Self.selected(by: #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager[value eq "m1"]"#) == ["bjensen"])
    }

    @Test func complexAttributeWithValueComparesItsValue() throws {
        #expect(try Self.selected(by: #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "M2""#) == ["jdoe"])
    }

    @Test func coreURNQualifiedSubAttribute() throws {
        #expect(try Self.selected(by: #"urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "jensen""#) == ["bjensen"])
    }

    // MARK: dateTime

    @Test func dateTimeEqualityComparesInstantsAcrossTimeZones() throws {
        let user = try document(#"{"meta":{"lastModified":"2011-05-13T04:42:34Z"}}"#)
        #expect(try evaluate(#"meta.lastModified eq "2011-05-13T06:42:34+02:00""#, user))
        #expect(try evaluate(#"meta.lastModified eq "2011-05-12T23:42:34-05:00""#, user))
        #expect(try evaluate(#"meta.lastModified eq "2011-05-13T04:42:34.000Z""#, user))
        #expect(try !evaluate(#"meta.lastModified ne "2011-05-13T06:42:34+02:00""#, user))
        #expect(try !evaluate(#"meta.lastModified eq "2011-05-13T04:42:34+02:00""#, user))
        #expect(try evaluate(#"meta.lastModified ne "2011-05-13T04:42:34+02:00""#, user))
    }

    @Test func dateTimeOrderingIsChronologicalNotLexicographic() throws {
        // As text "2011-05-13T06:..." sorts after "2011-05-13T05:...", but as an instant it is an hour earlier.
        let user = try document(#"{"meta":{"lastModified":"2011-05-13T06:00:00+02:00"}}"#)
        #expect(try evaluate(#"meta.lastModified lt "2011-05-13T05:00:00Z""#, user))
        #expect(try !evaluate(#"meta.lastModified gt "2011-05-13T05:00:00Z""#, user))
        #expect(try evaluate(#"meta.lastModified ge "2011-05-13T04:00:00Z""#, user))
        #expect(try evaluate(#"meta.lastModified le "2011-05-13T04:00:00Z""#, user))
        #expect(try !evaluate(#"meta.lastModified gt "2011-05-13T04:00:00Z""#, user))
        #expect(try !evaluate(#"meta.lastModified lt "2011-05-13T04:00:00Z""#, user))
    }

    @Test func dateTimeComparesAgainstBareDate() throws {
        let user = try document(#"{"meta":{"created":"2011-05-13T00:00:01Z"}}"#)
        #expect(try evaluate(#"meta.created gt "2011-05-13""#, user))
        #expect(try !evaluate(#"meta.created gt "2011-05-14""#, user))
    }

    // MARK: Booleans

    static let activeUsers: [String] = [
        #"{"userName":"on","active":true}"#,
        #"{"userName":"off","active":false}"#,
        #"{"userName":"unset"}"#,
    ]

    /// Which of ``activeUsers`` a filter selects.
    static func selectedActive(by text: String) throws -> Set<String> {
        let filter = try FilterParser().parse(text)
        try filter.validate(for: .user)
        var selected: Set<String> = []
        for json in activeUsers {
            let user = try document(json)
            if filter.matches(user, schema: .user), let name = user["userName"]?.stringValue { selected.insert(name) }
        }
        return selected
    }

    @Test func booleanComparisons() throws {
        #expect(try Self.selectedActive(by: "active eq true") == ["on"])
        #expect(try Self.selectedActive(by: "active eq false") == ["off"])
        #expect(try Self.selectedActive(by: "active ne true") == ["off", "unset"])
        #expect(try Self.selectedActive(by: "active ne false") == ["on", "unset"])
        #expect(try Self.selectedActive(by: #"active eq "True""#) == ["on"])
        #expect(try Self.selectedActive(by: "active pr") == ["on", "off"])
        #expect(try Self.selectedActive(by: "not (active eq true)") == ["off", "unset"])
    }

    // MARK: Invalid comparisons for the attribute's type

    static let invalidComparisons: [String] = [
        "active gt true",
        "active ge false",
        "active lt true",
        "active le true",
        #"active co "t""#,
        #"active sw "t""#,
        #"active ew "e""#,
        #"active eq "yes""#,
        "active eq 1",
        #"emails[primary gt true]"#,
        #"x509Certificates.value gt "abc""#,
        #"x509Certificates.value le "abc""#,
        #"name eq "Barbara""#,
        #"meta eq "x""#,
        #"userName[value eq "x"]"#,
        #"emails[value eq "x" and emails[type eq "work"]]"#,
        #"emails[value.sub eq "x"]"#,
        #"emails[urn:ietf:params:scim:schemas:core:2.0:User:value eq "x"]"#,
        #"emails[display.x pr]"#,
        "title gt null",
        "title co null",
    ]

    static let validComparisons: [String] = [
        "active eq true",
        "active ne false",
        #"active eq "False""#,
        "title eq null",
        "active ne null",
        #"meta.created gt "2011-05-13T04:42:34Z""#,
        #"x509Certificates.value eq "TUlJRE""#,
        #"emails[type eq "work" and primary eq true]"#,
        #"emails[display pr]"#,
        #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "m1""#,
        #"customAttribute gt "x""#,
        #"emails co "example.com""#,
    ]

    @Test(arguments: validComparisons)
    func comparisonSuitedToTheAttributeTypeValidates(_ text: String) throws {
        try FilterParser().parse(text).validate(for: .user)
    }

    @Test(arguments: invalidComparisons)
    func comparisonUnsuitedToTheAttributeTypeIsInvalidFilter(_ text: String) throws {
        let error = try #require(try validationError(text))
        #expect(error.scimType == .invalidFilter)
        #expect(error.status == 400)
    }

    @Test func invalidComparisonOnGroupIsInvalidFilter() throws {
        let error = try #require(try validationError(#"displayName gt null"#, schema: .group))
        #expect(error.scimType == .invalidFilter)
    }

    // MARK: Presence

    @Test func presentRequiresANonEmptyValue() throws {
        #expect(try evaluate("title pr", try document(#"{"title":"Boss"}"#)))
        #expect(try !evaluate("title pr", try document(#"{"title":""}"#)))
        #expect(try !evaluate("title pr", try document(#"{"title":null}"#)))
        #expect(try !evaluate("title pr", try document(#"{"userName":"u"}"#)))
    }

    @Test func presentOnMultiValuedAttribute() throws {
        #expect(try evaluate("emails pr", try document(#"{"emails":[{"value":"a@example.com"}]}"#)))
        #expect(try !evaluate("emails pr", try document(#"{"emails":[]}"#)))
        #expect(try !evaluate("emails pr", try document(#"{"emails":null}"#)))
        #expect(try !evaluate("emails pr", try document(#"{"emails":[{"value":""}]}"#)))
        #expect(try !evaluate("emails pr", try document(#"{"userName":"u"}"#)))
    }

    @Test func presentOnSubAttributes() throws {
        let user = try document(
            #"""
            {"name":{"givenName":"Barbara","familyName":""},"emails":[{"value":"a@x.test"},{"value":"b@x.test","type":"work"}]}
            """#
        )
        #expect(try evaluate("name.givenName pr", user))
        #expect(try !evaluate("name.familyName pr", user))
        #expect(try !evaluate("name.middleName pr", user))
        #expect(try evaluate("emails.type pr", user))
        #expect(try !evaluate("emails.display pr", user))
        #expect(try evaluate("name pr", user))
        #expect(try !evaluate("name pr", try document(#"{"name":{"familyName":""}}"#)))
    }

    // MARK: Multi-valued attributes without a sub-attribute

    @Test func multiValuedComparisonWithoutSubAttributeUsesValue() throws {
        let user = try document(
            #"""
            {"emails":[{"value":"a@corp.test","display":"example.com fan","type":"example.com"},{"value":"b@Example.COM","type":"home"}]}
            """#
        )
        #expect(try evaluate(#"emails co "example.com""#, user))
        #expect(try evaluate(#"emails eq "a@corp.test""#, user))
        #expect(try evaluate(#"emails sw "A@""#, user))
        #expect(try evaluate(#"emails ew ".com""#, user))
        let onlyDisplay = try document(#"{"emails":[{"value":"a@corp.test","display":"example.com fan","type":"example.com"}]}"#)
        #expect(try !evaluate(#"emails co "example.com""#, onlyDisplay))
        #expect(try !evaluate(#"emails eq "example.com""#, onlyDisplay))
        #expect(try !evaluate(#"emails co "example.com""#, try document(#"{"emails":[]}"#)))
    }

    @Test func multiValuedComparisonMatchesIfAnyValueMatches() throws {
        let user = try document(#"{"emails":[{"value":"one@a.test"},{"value":"two@b.test"},{"value":"three@c.test"}]}"#)
        #expect(try evaluate(#"emails.value eq "three@c.test""#, user))
        #expect(try evaluate(#"emails.value sw "two""#, user))
        #expect(try !evaluate(#"emails.value eq "four@d.test""#, user))
    }

    // MARK: ne

    @Test func notEqualMatchesWhenNoValueIsEqual() throws {
        #expect(try evaluate(#"userType ne "Employee""#, try document(#"{"userType":"Contractor"}"#)))
        #expect(try !evaluate(#"userType ne "Employee""#, try document(#"{"userType":"Employee"}"#)))
        #expect(try !evaluate(#"userType ne "Employee""#, try document(#"{"userType":"EMPLOYEE"}"#)))
        #expect(try evaluate(#"userType ne "Employee""#, try document(#"{"userName":"u"}"#)))
        #expect(try evaluate(#"externalId ne "abc""#, try document(#"{"externalId":"ABC"}"#)))
        #expect(try !evaluate(#"externalId ne "abc""#, try document(#"{"externalId":"abc"}"#)))
    }

    @Test func notEqualOnMultiValuedAttribute() throws {
        #expect(try evaluate(#"emails.type ne "work""#, try document(#"{"emails":[{"value":"a@x.test","type":"home"}]}"#)))
        let both = try document(#"{"emails":[{"value":"a@x.test","type":"home"},{"value":"b@x.test","type":"work"}]}"#)
        #expect(try !evaluate(#"emails.type ne "work""#, both))
        #expect(try evaluate(#"emails[type ne "work"]"#, both))
        #expect(try !evaluate(#"emails[type ne "work" and type ne "home"]"#, both))
    }

    // MARK: null

    @Test func equalsNullMatchesUnassignedAttributes() throws {
        #expect(try evaluate("title eq null", try document(#"{"userName":"u"}"#)))
        #expect(try evaluate("title eq null", try document(#"{"title":null}"#)))
        #expect(try !evaluate("title eq null", try document(#"{"title":"Boss"}"#)))
        #expect(try evaluate("emails eq null", try document(#"{"emails":[]}"#)))
        #expect(try !evaluate("emails eq null", try document(#"{"emails":[{"value":"a@x.test"}]}"#)))
        #expect(try evaluate("name.middleName eq null", try document(#"{"name":{"givenName":"B"}}"#)))
    }

    @Test func notEqualsNullMatchesAssignedAttributes() throws {
        #expect(try !evaluate("title ne null", try document(#"{"userName":"u"}"#)))
        #expect(try !evaluate("title ne null", try document(#"{"title":null}"#)))
        #expect(try evaluate("title ne null", try document(#"{"title":"Boss"}"#)))
        #expect(try evaluate("active ne null", try document(#"{"active":false}"#)))
        #expect(try !evaluate("active eq null", try document(#"{"active":false}"#)))
    }

    @Test func nullIsNotTheStringNull() throws {
        #expect(try !evaluate("title eq null", try document(#"{"title":"null"}"#)))
        #expect(try evaluate(#"title eq "null""#, try document(#"{"title":"null"}"#)))
    }

    // MARK: Strings, numbers and unknown attributes

    @Test func substringOperatorsOnStrings() throws {
        let user = try document(#"{"displayName":"Barbara Jensen"}"#)
        #expect(try evaluate(#"displayName co "BARA je""#, user))
        #expect(try evaluate(#"displayName sw "barbara""#, user))
        #expect(try evaluate(#"displayName ew "JENSEN""#, user))
        #expect(try evaluate(#"displayName sw "Barbara Jensen""#, user))
        #expect(try !evaluate(#"displayName sw "Jensen""#, user))
        #expect(try !evaluate(#"displayName ew "Barbara""#, user))
        #expect(try !evaluate(#"displayName co "Babs""#, user))
    }

    @Test func orderingOnStringsIsLexicographicIgnoringCase() throws {
        let user = try document(#"{"userName":"mike"}"#)
        #expect(try evaluate(#"userName gt "Alice""#, user))
        #expect(try evaluate(#"userName lt "ZOE""#, user))
        #expect(try evaluate(#"userName ge "MIKE""#, user))
        #expect(try evaluate(#"userName le "MIKE""#, user))
        #expect(try !evaluate(#"userName gt "MIKE""#, user))
    }

    @Test func escapedQuotesInLiteralMatch() throws {
        let user = try document(#"{"displayName":"Barbara \"Babs\" Jensen"}"#)
        #expect(try evaluate(#"displayName eq "Barbara \"Babs\" Jensen""#, user))
        #expect(try evaluate(#"displayName co "\"babs\"""#, user))
    }

    @Test func numbersOnSchemalessAttributesCompareNumerically() throws {
        let user = try document(#"{"loginCount":10}"#)
        #expect(try evaluate("loginCount gt 9", user))
        #expect(try evaluate("loginCount eq 10.0", user))
        #expect(try evaluate("loginCount lt 100", user))
        #expect(try !evaluate("loginCount gt 10", user))
        #expect(try !evaluate("loginCount lt 9", user))
    }

    @Test func unknownAttributeIsACaseInsensitiveString() throws {
        let user = try document(#"{"customField":"Blue"}"#)
        #expect(try evaluate(#"customField eq "blue""#, user))
        #expect(try evaluate(#"CUSTOMFIELD co "LU""#, user))
        #expect(try !evaluate(#"otherField eq "blue""#, user))
        #expect(try evaluate("otherField eq null", user))
    }
}
