import Testing

@testable import SCIM

// MARK: - Shorthands for expected ASTs

private let enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
private let userURN = "urn:ietf:params:scim:schemas:core:2.0:User"

/// An unqualified path `attribute` or `attribute.sub`.
private func attr(_ attribute: String, _ sub: String? = nil, urn: String? = nil) -> AttributePath {
    AttributePath(schemaURN: urn, attribute: attribute, subAttribute: sub)
}

/// `path op "string"`.
private func compare(_ path: AttributePath, _ comparison: ComparisonOperator, _ string: String) -> Filter {
    .comparison(path, comparison, .string(string))
}

/// One filter text with the AST it must parse to.
struct FilterParseCase: Sendable, CustomTestStringConvertible {
    let text: String
    let expected: Filter

    var testDescription: String { text }
}

/// Parses `text` and returns the error, which the caller checks.
private func parseError(
    _ text: String,
    parser: FilterParser = FilterParser(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> SCIMError? {
    #expect(throws: SCIMError.self, sourceLocation: sourceLocation) { try parser.parse(text) }
}

@Suite("Filter parser")
struct FilterParserTests {
    // MARK: RFC 7644 §3.4.2.2 examples

    /// Every example filter of RFC 7644 §3.4.2.2, with the exact AST it stands for.
    static let rfcExamples: [FilterParseCase] = [
        FilterParseCase(text: #"userName eq "bjensen""#, expected: compare(attr("userName"), .eq, "bjensen")),
        FilterParseCase(text: #"name.familyName co "O'Malley""#, expected: compare(attr("name", "familyName"), .co, "O'Malley")),
        FilterParseCase(text: #"userName sw "J""#, expected: compare(attr("userName"), .sw, "J")),
        FilterParseCase(
            text: #"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
            expected: compare(attr("userName", urn: userURN), .sw, "J")
        ),
        FilterParseCase(text: "title pr", expected: .present(attr("title"))),
        FilterParseCase(
            text: #"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            expected: compare(attr("meta", "lastModified"), .gt, "2011-05-13T04:42:34Z")
        ),
        FilterParseCase(
            text: #"meta.lastModified ge "2011-05-13T04:42:34Z""#,
            expected: compare(attr("meta", "lastModified"), .ge, "2011-05-13T04:42:34Z")
        ),
        FilterParseCase(
            text: #"meta.lastModified lt "2011-05-13T04:42:34Z""#,
            expected: compare(attr("meta", "lastModified"), .lt, "2011-05-13T04:42:34Z")
        ),
        FilterParseCase(
            text: #"meta.lastModified le "2011-05-13T04:42:34Z""#,
            expected: compare(attr("meta", "lastModified"), .le, "2011-05-13T04:42:34Z")
        ),
        FilterParseCase(
            text: #"title pr and userType eq "Employee""#,
            expected: .and(.present(attr("title")), compare(attr("userType"), .eq, "Employee"))
        ),
        FilterParseCase(
            text: #"title pr or userType eq "Intern""#,
            expected: .or(.present(attr("title")), compare(attr("userType"), .eq, "Intern"))
        ),
        FilterParseCase(
            text: #"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            expected: compare(attr("schemas"), .eq, enterpriseURN)
        ),
        FilterParseCase(
            text: #"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            expected: .and(
                compare(attr("userType"), .eq, "Employee"),
                .or(compare(attr("emails"), .co, "example.com"), compare(attr("emails", "value"), .co, "example.org"))
            )
        ),
        FilterParseCase(
            text: #"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
            expected: .and(
                compare(attr("userType"), .ne, "Employee"),
                .not(.or(compare(attr("emails"), .co, "example.com"), compare(attr("emails", "value"), .co, "example.org")))
            )
        ),
        FilterParseCase(
            text: #"userType eq "Employee" and (emails.type eq "work")"#,
            expected: .and(compare(attr("userType"), .eq, "Employee"), compare(attr("emails", "type"), .eq, "work"))
        ),
        FilterParseCase(
            text: #"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            expected: .and(
                compare(attr("userType"), .eq, "Employee"),
                .valuePath(attr("emails"), .and(compare(attr("type"), .eq, "work"), compare(attr("value"), .co, "@example.com")))
            )
        ),
        FilterParseCase(
            text: #"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
            expected: .or(
                .valuePath(attr("emails"), .and(compare(attr("type"), .eq, "work"), compare(attr("value"), .co, "@example.com"))),
                .valuePath(attr("ims"), .and(compare(attr("type"), .eq, "xmpp"), compare(attr("value"), .co, "@foo.com")))
            )
        ),
        // The case-insensitivity examples of the same section.
        FilterParseCase(text: #"userName Eq "john""#, expected: compare(attr("userName"), .eq, "john")),
        FilterParseCase(text: #"Username eq "john""#, expected: compare(attr("Username"), .eq, "john")),
    ]

    @Test(arguments: rfcExamples)
    func rfcExampleParsesToExpectedAST(_ example: FilterParseCase) throws {
        let filter = try FilterParser().parse(example.text)
        #expect(filter == example.expected)
    }

    @Test(arguments: rfcExamples)
    func rfcExampleValidatesAgainstUserSchema(_ example: FilterParseCase) throws {
        let filter = try FilterParser().parse(example.text)
        try filter.validate(for: .user)
    }

    // MARK: Precedence and grouping

    static let precedenceCases: [FilterParseCase] = {
        let a = compare(attr("a"), .eq, "1")
        let b = compare(attr("b"), .eq, "2")
        let c = compare(attr("c"), .eq, "3")
        return [
            FilterParseCase(text: #"a eq "1" or b eq "2" and c eq "3""#, expected: .or(a, .and(b, c))),
            FilterParseCase(text: #"a eq "1" and b eq "2" or c eq "3""#, expected: .or(.and(a, b), c)),
            FilterParseCase(text: #"(a eq "1" or b eq "2") and c eq "3""#, expected: .and(.or(a, b), c)),
            FilterParseCase(text: #"a eq "1" and (b eq "2" or c eq "3")"#, expected: .and(a, .or(b, c))),
            FilterParseCase(text: #"a eq "1" and b eq "2" and c eq "3""#, expected: .and(.and(a, b), c)),
            FilterParseCase(text: #"a eq "1" or b eq "2" or c eq "3""#, expected: .or(.or(a, b), c)),
            FilterParseCase(text: #"not (a eq "1") and b eq "2""#, expected: .and(.not(a), b)),
            FilterParseCase(text: #"not (a eq "1" or b eq "2")"#, expected: .not(.or(a, b))),
            FilterParseCase(text: #"a eq "1" OR b eq "2" AND c eq "3""#, expected: .or(a, .and(b, c))),
            FilterParseCase(text: #"NOT (a eq "1") Or b eq "2""#, expected: .or(.not(a), b)),
            FilterParseCase(text: #"((a eq "1"))"#, expected: a),
            FilterParseCase(text: #"not (not (a eq "1"))"#, expected: .not(.not(a))),
        ]
    }()

    @Test(arguments: precedenceCases)
    func andBindsTighterThanOrAndParenthesesGroup(_ example: FilterParseCase) throws {
        #expect(try FilterParser().parse(example.text) == example.expected)
    }

    // MARK: Literals

    static let literalCases: [FilterParseCase] = [
        FilterParseCase(text: "active eq true", expected: .comparison(attr("active"), .eq, .bool(true))),
        FilterParseCase(text: "active eq false", expected: .comparison(attr("active"), .eq, .bool(false))),
        FilterParseCase(text: "active eq TRUE", expected: .comparison(attr("active"), .eq, .bool(true))),
        FilterParseCase(text: "title eq null", expected: .comparison(attr("title"), .eq, .null)),
        FilterParseCase(text: "title ne NULL", expected: .comparison(attr("title"), .ne, .null)),
        FilterParseCase(text: #"active eq "true""#, expected: compare(attr("active"), .eq, "true")),
        FilterParseCase(text: "count gt 42", expected: .comparison(attr("count"), .gt, .number(JSONNumber(42)))),
        FilterParseCase(text: "count le -1.5e3", expected: .comparison(attr("count"), .le, .number(JSONNumber(-1500.0)))),
        FilterParseCase(
            text: #"displayName eq "say \"hi\" \\ back\/slash""#,
            expected: compare(attr("displayName"), .eq, #"say "hi" \ back/slash"#)
        ),
        FilterParseCase(text: #"displayName eq "caf\u00e9""#, expected: compare(attr("displayName"), .eq, "café")),
        FilterParseCase(
            text: #"displayName eq "Zoë 日本 (x) [y] and or""#,
            expected: compare(attr("displayName"), .eq, "Zoë 日本 (x) [y] and or")
        ),
        FilterParseCase(text: #"displayName eq """#, expected: compare(attr("displayName"), .eq, "")),
        FilterParseCase(text: "  userName \t eq\n\"a\"  ", expected: compare(attr("userName"), .eq, "a")),
    ]

    @Test(arguments: literalCases)
    func literalParsesToExpectedValue(_ example: FilterParseCase) throws {
        #expect(try FilterParser().parse(example.text) == example.expected)
    }

    // MARK: Case-insensitive attribute names and operators

    static let caseInsensitiveCases: [FilterParseCase] = [
        FilterParseCase(text: #"USERNAME EQ "x""#, expected: compare(attr("USERNAME"), .eq, "x")),
        FilterParseCase(text: #"name.FamilyName Co "x""#, expected: compare(attr("name", "FamilyName"), .co, "x")),
        FilterParseCase(text: #"emails.Value sW "x""#, expected: compare(attr("emails", "Value"), .sw, "x")),
        FilterParseCase(text: #"meta.Created GT "2015-10-10T14:38:21Z""#, expected: compare(attr("meta", "Created"), .gt, "2015-10-10T14:38:21Z")),
        FilterParseCase(text: "title PR", expected: .present(attr("title"))),
        FilterParseCase(text: #"title Ne "x""#, expected: compare(attr("title"), .ne, "x")),
        FilterParseCase(text: #"title EW "x""#, expected: compare(attr("title"), .ew, "x")),
        FilterParseCase(text: #"title gE "x""#, expected: compare(attr("title"), .ge, "x")),
        FilterParseCase(text: #"title Lt "x""#, expected: compare(attr("title"), .lt, "x")),
        FilterParseCase(text: #"title LE "x""#, expected: compare(attr("title"), .le, "x")),
    ]

    @Test(arguments: caseInsensitiveCases)
    func operatorsAndKeywordsAreCaseInsensitive(_ example: FilterParseCase) throws {
        #expect(try FilterParser().parse(example.text) == example.expected)
    }

    @Test(arguments: ComparisonOperator.allCases)
    func everyComparisonOperatorParses(_ comparison: ComparisonOperator) throws {
        let filter = try FilterParser().parse(#"title \#(comparison.rawValue) "x""#)
        #expect(filter == compare(attr("title"), comparison, "x"))
    }

    // MARK: Entra and Microsoft forms

    @Test func entraValuePathWithSubAttributeComparisonFoldsIntoValuePath() throws {
        let filter = try FilterParser().parse(#"emails[type eq "work"].value eq "x""#)
        #expect(filter == .valuePath(attr("emails"), .and(compare(attr("type"), .eq, "work"), compare(attr("value"), .eq, "x"))))
    }

    @Test func entraValuePathFollowedByLogicalOperatorKeepsPrecedence() throws {
        let filter = try FilterParser().parse(#"emails[type eq "work"].value eq "x" and userName eq "u""#)
        let valuePath = Filter.valuePath(attr("emails"), .and(compare(attr("type"), .eq, "work"), compare(attr("value"), .eq, "x")))
        #expect(filter == .and(valuePath, compare(attr("userName"), .eq, "u")))
    }

    @Test func entraValuePathWithPresentSubAttribute() throws {
        let filter = try FilterParser().parse(#"emails[type eq "work"].value pr"#)
        #expect(filter == .valuePath(attr("emails"), .and(compare(attr("type"), .eq, "work"), .present(attr("value")))))
    }

    @Test func microsoftUnquotedValuesParseAsStrings() throws {
        let filter = try FilterParser().parse("name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)")
        let expected = Filter.and(
            compare(attr("name", "FamilyName"), .eq, "Employee"),
            .or(compare(attr("emails", "Value"), .co, "example.com"), compare(attr("emails", "Value"), .co, "example.org"))
        )
        #expect(filter == expected)
    }

    @Test func microsoftUnquotedStartsWith() throws {
        #expect(try FilterParser().parse("userName sw O") == compare(attr("userName"), .sw, "O"))
    }

    @Test func microsoftUnquotedDateTimeIsAStringNotANumber() throws {
        let filter = try FilterParser().parse("meta.Created gt 2015-10-10T14:38:21.8617979-07:00")
        #expect(filter == compare(attr("meta", "Created"), .gt, "2015-10-10T14:38:21.8617979-07:00"))
    }

    @Test func unquotedValueInsideValuePathStopsAtBracket() throws {
        let filter = try FilterParser().parse("emails[type eq work]")
        #expect(filter == .valuePath(attr("emails"), compare(attr("type"), .eq, "work")))
    }

    // MARK: URN-qualified attribute names

    @Test func enterpriseExtensionAttributeKeepsWholeURN() throws {
        let filter = try FilterParser().parse(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales""#)
        #expect(filter == compare(attr("department", urn: enterpriseURN), .eq, "Sales"))
    }

    @Test func enterpriseExtensionSubAttributeIsNotSplitAtVersionDot() throws {
        let filter = try FilterParser().parse(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m1""#)
        #expect(filter == compare(attr("manager", "value", urn: enterpriseURN), .eq, "m1"))
    }

    @Test func upperCaseURNIsCanonicalised() throws {
        let filter = try FilterParser().parse(#"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:department eq "Sales""#)
        #expect(filter == compare(attr("department", urn: enterpriseURN), .eq, "Sales"))
    }

    @Test func legacyEnterpriseURNMapsToCurrentURN() throws {
        let filter = try FilterParser().parse(#"urn:scim:schemas:extension:enterprise:2.0:User:department eq "Sales""#)
        #expect(filter == compare(attr("department", urn: enterpriseURN), .eq, "Sales"))
    }

    @Test func wholeExtensionReferencePresent() throws {
        let filter = try FilterParser().parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User pr")
        guard case .present(let path) = filter else {
            Issue.record("expected a present filter, got \(filter)")
            return
        }
        #expect(path.attribute == enterpriseURN)
        #expect(path.schemaURN == nil)
        #expect(path.isExtensionReference)
    }

    // MARK: Malformed filters

    static let malformedFilters: [String] = [
        "",
        "   ",
        "userName eq",
        #"userName xx "a""#,
        #"userName equals "a""#,
        #"(userName eq "a""#,
        #"((userName eq "a")"#,
        #"userName eq "a")"#,
        #"userName eq "abc"#,
        #"userName eq "a\"#,
        #"userName eq "bad \q escape""#,
        #"and userName eq "a""#,
        #"or userName eq "a""#,
        #"userName eq "a" "b""#,
        #"userName eq "a" userName"#,
        #"userName eq "a" and"#,
        #"userName eq "a" or"#,
        #"userName eq "a" and or title pr"#,
        "not",
        "not ()",
        "()",
        "userName",
        #"eq "a""#,
        #"userName pr "x""#,
        "userName eq (",
        "userName eq )",
        #"emails[type eq "work""#,
        #"emails[type eq "work"]]"#,
        "emails[]",
        #"emails type eq "work"]"#,
        #"emails[type eq "work"].value"#,
        #"emails[type eq "work"]. eq "x""#,
        #"emails[type eq "work"].1value eq "x""#,
        #"emails.value[type eq "work"]"#,
        #"name..familyName eq "x""#,
        #"name.familyName.extra eq "x""#,
        #"1userName eq "x""#,
        #"user name eq "x""#,
        #""userName" eq "x""#,
        "[",
        "]",
        ")",
    ]

    @Test(arguments: malformedFilters)
    func malformedFilterIsInvalidFilter(_ text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.scimType == .invalidFilter)
        #expect(error.status == 400)
        #expect(!error.detail.isEmpty)
    }

    @Test func filterLongerThan8192CharactersIsInvalidFilter() throws {
        let text = #"userName eq ""# + String(repeating: "a", count: 8192) + #"""#
        let error = try #require(parseError(text))
        #expect(error.scimType == .invalidFilter)
        #expect(error.status == 400)
    }

    @Test func filterOfExactly8192CharactersParses() throws {
        let prefix = #"userName eq ""#
        let value = String(repeating: "a", count: 8192 - prefix.count - 1)
        let text = prefix + value + #"""#
        #expect(text.count == 8192)
        #expect(try FilterParser().parse(text) == compare(attr("userName"), .eq, value))
    }

    @Test func customMaximumLengthIsEnforced() throws {
        let parser = FilterParser(maximumLength: 16)
        #expect(try parser.parse(#"userName pr"#) == .present(attr("userName")))
        let error = try #require(parseError(#"userName eq "abcdef""#, parser: parser))
        #expect(error.scimType == .invalidFilter)
    }

    // MARK: Nesting bound (no stack overflow on hostile input)

    static let deeplyNestedFilters: [String] = [
        String(repeating: "(", count: 1000) + #"userName eq "a""# + String(repeating: ")", count: 1000),
        String(repeating: "not (", count: 1000) + #"userName eq "a""# + String(repeating: ")", count: 1000),
        String(repeating: "not ", count: 1000) + #"userName eq "a""#,
        String(repeating: "emails[", count: 1000) + #"value eq "a""# + String(repeating: "]", count: 1000),
        String(repeating: "(", count: 5000),
        String(repeating: "(", count: 1000) + #"userName eq "a""#,
    ]

    @Test(arguments: deeplyNestedFilters)
    func deepNestingIsInvalidFilterWithoutCrashing(_ text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.scimType == .invalidFilter)
        #expect(error.status == 400)
    }

    @Test func realisticNestingParses() throws {
        let text = String(repeating: "(", count: 10) + #"userName eq "a""# + String(repeating: ")", count: 10)
        #expect(try FilterParser().parse(text) == compare(attr("userName"), .eq, "a"))
        let nots = String(repeating: "not (", count: 10) + #"userName eq "a""# + String(repeating: ")", count: 10)
        var expected = compare(attr("userName"), .eq, "a")
        for _ in 0..<10 { expected = .not(expected) }
        #expect(try FilterParser().parse(nots) == expected)
    }

    @Test func customMaximumDepthIsEnforced() throws {
        let parser = FilterParser(maximumDepth: 3)
        #expect(try parser.parse(#"(userName eq "a")"#) == compare(attr("userName"), .eq, "a"))
        let error = try #require(parseError(#"((((userName eq "a"))))"#, parser: parser))
        #expect(error.scimType == .invalidFilter)
    }

    @Test func longFlatChainWithinLengthLimitParsesValidatesAndEvaluates() throws {
        let term = #"userName eq "u" or "#
        let count = (8192 - 16) / term.count
        let text = String(repeating: term, count: count) + #"userName eq "z""#
        #expect(text.count <= 8192)
        let filter = try FilterParser().parse(text)
        try filter.validate(for: .user)
        var user = JSONObject()
        user["userName"] = "z"
        #expect(filter.matches(user, schema: .user))
        user["userName"] = "y"
        #expect(!filter.matches(user, schema: .user))
    }

    @Test func longestPossibleChainOfShortTermsEvaluatesWithoutCrashing() throws {
        let orChain = String(repeating: "a pr or ", count: 1020) + "title pr"
        let andChain = String(repeating: "a pr and ", count: 900) + "title pr"
        #expect(orChain.count <= 8192)
        #expect(andChain.count <= 8192)
        let anyOf = try FilterParser().parse(orChain)
        let allOf = try FilterParser().parse(andChain)
        try anyOf.validate(for: .user)
        try allOf.validate(for: .user)
        var user = JSONObject()
        user["title"] = "Boss"
        #expect(anyOf.matches(user, schema: .user))
        #expect(!allOf.matches(user, schema: .user))
        user["a"] = "x"
        #expect(allOf.matches(user, schema: .user))
        #expect(anyOf == (try FilterParser().parse(orChain)))
    }

    // MARK: PATCH paths

    @Test func patchPathWithMemberValueFilter() throws {
        let path = try FilterParser().parsePatchPath(#"members[value eq "2819c223"]"#)
        #expect(path.attribute == attr("members"))
        #expect(path.filter == compare(attr("value"), .eq, "2819c223"))
        #expect(path.subAttribute == nil)
    }

    @Test func patchPathWithValueFilterAndSubAttribute() throws {
        let path = try FilterParser().parsePatchPath(#"emails[type eq "work"].value"#)
        #expect(path.attribute == attr("emails"))
        #expect(path.filter == compare(attr("type"), .eq, "work"))
        #expect(path.subAttribute == "value")
    }

    @Test func patchPathWithComplexValueFilter() throws {
        let path = try FilterParser().parsePatchPath(#"emails[type eq "work" and value ew "example.com"].display"#)
        #expect(path.attribute == attr("emails"))
        #expect(path.filter == .and(compare(attr("type"), .eq, "work"), compare(attr("value"), .ew, "example.com")))
        #expect(path.subAttribute == "display")
    }

    @Test func patchPathWithBracketInsideQuotedValue() throws {
        let path = try FilterParser().parsePatchPath(#"members[value eq "a]b"]"#)
        #expect(path.filter == compare(attr("value"), .eq, "a]b"))
        #expect(path.subAttribute == nil)
    }

    @Test func patchPathWithSubAttribute() throws {
        let path = try FilterParser().parsePatchPath("name.familyName")
        #expect(path.attribute == attr("name", "familyName"))
        #expect(path.filter == nil)
        #expect(path.subAttribute == nil)
    }

    @Test func patchPathIsTrimmed() throws {
        let path = try FilterParser().parsePatchPath("  userName ")
        #expect(path.attribute == attr("userName"))
    }

    @Test func patchPathWithEnterpriseAttribute() throws {
        let path = try FilterParser().parsePatchPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber")
        #expect(path.attribute == attr("employeeNumber", urn: enterpriseURN))
        #expect(!path.attribute.isExtensionReference)
        #expect(path.filter == nil)
    }

    @Test func patchPathWithEnterpriseSubAttribute() throws {
        let path = try FilterParser().parsePatchPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value")
        #expect(path.attribute == attr("manager", "value", urn: enterpriseURN))
    }

    @Test func patchPathNamingWholeExtension() throws {
        let path = try FilterParser().parsePatchPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        #expect(path.attribute.attribute == enterpriseURN)
        #expect(path.attribute.schemaURN == nil)
        #expect(path.attribute.subAttribute == nil)
        #expect(path.attribute.isExtensionReference)
        #expect(path.filter == nil)
    }

    static let invalidPatchPaths: [String] = [
        "",
        "   ",
        #"members[value eq "x""#,
        #"emails[type eq "work"]x"#,
        #"emails[type eq "work"]."#,
        #"emails[type eq "work"].value.extra"#,
        #"emails[type xx "work"]"#,
        "emails[]",
        #"name.familyName[type eq "work"]"#,
        "name..familyName",
        "name.familyName.extra",
        "1name",
        #"members]value eq "x"["#,
    ]

    @Test(arguments: invalidPatchPaths)
    func invalidPatchPathIsInvalidPath(_ text: String) throws {
        let error = try #require(#expect(throws: SCIMError.self) { try FilterParser().parsePatchPath(text) })
        #expect(error.scimType == .invalidPath)
        #expect(error.status == 400)
    }
}
