/// A JSON value as SCIM sees it: the order of object members is kept and numbers keep the text they were sent as.
public indirect enum JSONValue: Sendable, Hashable {
    /// JSON `null`; in SCIM, an unassigned attribute.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept as its literal text so that it round-trips exactly.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object whose member order is kept.
    case object(JSONObject)

    /// Makes an integer number value.
    public static func integer(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The boolean, when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether the value counts as present in the sense of the SCIM `pr` operator: not null, not an empty string,
    /// not an empty array and not an object without members.
    public var isPresent: Bool {
        switch self {
        case .null: false
        case .string(let string): !string.isEmpty
        case .array(let array): array.contains { $0.isPresent }
        case .object(let object): object.contains { $0.value.isPresent }
        case .bool, .number: true
        }
    }

    /// A short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    /// Makes a string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Makes a boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Makes an integer value.
    public init(integerLiteral value: Int) { self = .integer(value) }
    /// Makes `null`.
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// Makes an array value.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Makes an object value, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
