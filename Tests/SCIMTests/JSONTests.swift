import Testing

@testable import SCIM

@Suite("JSON")
struct JSONTests {
    @Test func roundTripKeepsOrderAndNumberText() throws {
        let text = #"{"b":1.50,"a":[true,false,null],"c":{"x":"y\n\"q\""},"e":-0.5e+3}"#
        let value = try JSONParser().parse(text)
        #expect(value.serialized() == text)
    }

    @Test func aRepeatedMemberNameIsRefusedWhereverItIs() throws {
        #expect(throws: JSONParseError.self) { try JSONParser().parse(#"{"a":1,"a":2}"#) }
        #expect(throws: JSONParseError.self) { try JSONParser().parse(#"[{"x":{"b":true,"c":0,"b":false}}]"#) }
        // Names that differ, even only in case, are different members to JSON.
        #expect(try JSONParser().parse(#"{"a":1,"A":2}"#).objectValue?.count == 2)
    }
}
