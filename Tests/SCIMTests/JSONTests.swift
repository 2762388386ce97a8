import Testing

@testable import SCIM

@Suite("JSON")
struct JSONTests {
    @Test func roundTripKeepsOrderAndNumberText() throws {
        let text = #"{"b":1.50,"a":[true,false,null],"c":{"x":"y\n\"q\""},"e":-0.5e+3}"#
        let value = try JSONParser().parse(text)
        #expect(value.serialized() == text)
    }
}
