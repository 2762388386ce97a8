import SCIM

/// The one property the fuzzers check beyond "no crash": what Roster writes as JSON (a stored resource, a response)
/// reads back as the same value with Roster's own parser, as the store does when it loads a row. A failure traps,
/// so libFuzzer records the input as a crash.
public enum JSONRoundTrip {
    /// Serializes `value`, parses the text with the default ``JSONParser`` and traps unless the result equals `value`.
    public static func check(_ value: JSONValue, _ what: @autoclosure () -> String) {
        let text = value.serializedBytes()
        let reread: JSONValue
        do {
            reread = try JSONParser().parse(text)
        } catch {
            fatalError("\(what()) does not parse back after serialization: \(error)\n\(String(decoding: text, as: UTF8.self))")
        }
        guard reread == value else {
            fatalError("\(what()) reads back as a different value after serialization\n\(String(decoding: text, as: UTF8.self))")
        }
    }

    /// ``check(_:_:)`` for an object.
    public static func check(_ object: JSONObject, _ what: @autoclosure () -> String) {
        check(JSONValue.object(object), what())
    }
}
