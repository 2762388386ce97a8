import Testing

@testable import SCIM

@Suite("Messages")
struct MessagesTests {
    @Test func errorDocumentHasStringStatusScimTypeAndDetail() {
        let document = SCIMError.uniqueness("userName \"a@b.c\" already exists").document
        #expect(
            document.serialized()
                == #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"userName \"a@b.c\" already exists"}"#
        )
        #expect(SCIMError.notFound("no such user").document.objectValue?["scimType"] == nil)
    }

    @Test(arguments: SCIMErrorType.allCases)
    func everyScimTypeMapsToOneStatus(type: SCIMErrorType) {
        let expected = type == .uniqueness ? 409 : type == .sensitive ? 403 : 400
        #expect(SCIMError(type, "x").status == expected)
    }

    @Test func emptyListResponseHasIntegersAndResourcesArray() {
        let document = ListResponse(totalResults: 0, startIndex: 1, resources: []).document
        #expect(
            document.serialized()
                == #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}"#
        )
    }

    @Test func listResponseCountsItemsPerPage() {
        let document = ListResponse(totalResults: 5, startIndex: 3, resources: [["id": "a"], ["id": "b"]]).document.objectValue
        #expect(document?["totalResults"] == 5)
        #expect(document?["itemsPerPage"] == 2)
        #expect(document?["startIndex"] == 3)
    }

    @Test func queryParametersFollowThePagingRules() throws {
        let okta = try ListQuery(parameters: ["filter": #"userName eq "jane.doe@example.com""#, "startIndex": "1", "count": "100"])
        #expect(okta.filter == .comparison(AttributePath(attribute: "userName"), .eq, .string("jane.doe@example.com")))
        #expect(okta.startIndex == 1 && okta.count == 100)
        let clamped = try ListQuery(parameters: ["startIndex": "-4", "count": "-1"])
        #expect(clamped.startIndex == 1 && clamped.count == 0)
        let capped = try ListQuery(parameters: ["count": "50000"], maximumCount: 1000)
        #expect(capped.count == 1000)
        let defaults = try ListQuery(parameters: [:], defaultCount: 100)
        #expect(defaults.count == 100 && defaults.filter == nil && defaults.sortOrder == .ascending)
        let sorted = try ListQuery(parameters: ["sortby": "meta.lastModified", "SORTORDER": "Descending", "excludedAttributes": "members"])
        #expect(sorted.sortBy == AttributePath(attribute: "meta", subAttribute: "lastModified"))
        #expect(sorted.sortOrder == .descending)
        #expect(!sorted.projection.includes("members", schema: .group))
    }

    @Test func badQueryParametersAreClearErrors() {
        #expect(throws: SCIMError.invalidValue("'count' must be an integer, not \"ten\"")) { try ListQuery(parameters: ["count": "ten"]) }
        #expect(throws: SCIMError.invalidValue("'sortOrder' must be \"ascending\" or \"descending\"")) {
            try ListQuery(parameters: ["sortOrder": "up"])
        }
        do {
            _ = try ListQuery(parameters: ["filter": "userName eq"])
            Issue.record("an incomplete filter was accepted")
        } catch {
            #expect(error.scimType == .invalidFilter)
        }
    }

    @Test func searchRequestBodyIsRead() throws {
        let body = try JSONParser().parse(
            #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":["displayName","userName"],
             "excludedAttributes":[],"filter":"displayName sw \"smith\"","startIndex":1,"count":10,"sortBy":"userName"}
            """#
        )
        let query = try ListQuery(searchRequest: body)
        #expect(query.filter == .comparison(AttributePath(attribute: "displayName"), .sw, .string("smith")))
        #expect(query.count == 10)
        #expect(query.projection.attributes == [AttributePath(attribute: "displayName"), AttributePath(attribute: "userName")])
        #expect(query.sortBy == AttributePath(attribute: "userName"))
        #expect(throws: SCIMError.invalidSyntax("the SearchRequest must be a JSON object")) { try ListQuery(searchRequest: "x") }
        #expect(throws: SCIMError.invalidValue("'count' must be an integer, not a boolean")) {
            try ListQuery(searchRequest: ["count": true])
        }
    }

    @Test func dateTimesFormatInUTCWithMilliseconds() {
        #expect(SCIMDateTime.format(millisecondsSince1970: 0) == "1970-01-01T00:00:00.000Z")
        #expect(SCIMDateTime.format(millisecondsSince1970: 1_795_933_522_123) == "2026-11-29T06:25:22.123Z")
        #expect(SCIMDateTime.format(millisecondsSince1970: 951_868_800_000) == "2000-03-01T00:00:00.000Z")
        let text = SCIMDateTime.format(millisecondsSince1970: 1_700_000_000_456)
        #expect(SCIMDateTime.instant(text) == 1_700_000_000.456)
    }
}

@Suite("JSON parsing limits")
struct JSONLimitTests {
    @Test func rejectsMalformedJSONWithPosition() {
        for text in ["", "{", #"{"a":}"#, "[1,]", #"{"a" 1}"#, "tru", "01", "1.", "\"\\x\"", "{\"a\":1} x", "test\r\n\r\n"] {
            #expect(throws: JSONParseError.self, "\(text) was accepted") { try JSONParser().parse(text) }
        }
    }

    @Test func boundsNestingDepthWithoutCrashing() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser().parse(deep) }
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        _ = try JSONParser().parse(fine)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser().parse(#""caf\u00e9 \ud83d\ude00 \/ \"q\"""#)
        #expect(value == .string("café 😀 / \"q\""))
        #expect(throws: JSONParseError.self) { try JSONParser().parse(#""\ud83d""#) }
    }

    @Test func repeatedKeysAreRefusedRatherThanResolved() throws {
        #expect(throws: JSONParseError(reason: #"the member name "a" appears twice in one object"#, offset: 13)) {
            try JSONParser().parse(#"{"a":1,"b":2,"a":3}"#)
        }
    }

    @Test func escapesControlCharactersWhenSerializing() {
        #expect(JSONValue.string("a\u{01}\n\"").serialized() == #""a\u0001\n\"""#)
    }
}
