/// Turns what an IdP sent for one attribute into the stored form its definition asks for: string booleans become
/// booleans, a single object for a multi-valued attribute becomes a one-element array (OneLogin's `emails`), a bare
/// id string or one-element array for a complex attribute becomes an object (Entra's `manager`), sub-attribute names
/// take their canonical spelling, `null` means unassigned, and attributes no schema defines are kept as sent.
enum ValueCoercion {
    /// The stored form of `value` for `definition`, or nil when it is unassigned (null, empty array, empty object).
    /// `name` is used in error messages. Throws `invalidValue` when the value cannot have the attribute's type.
    static func coerce(_ value: JSONValue, for definition: AttributeDefinition, name: String) throws(SCIMError) -> JSONValue? {
        if value.isNull { return nil }
        guard definition.multiValued else { return try coerceSingle(value, for: definition, name: name) }
        let elements = value.arrayValue ?? [value]
        var result: [JSONValue] = []
        for element in elements {
            if let coerced = try coerceSingle(element, for: definition, name: name), !result.contains(coerced) {
                result.append(coerced)
            }
        }
        guard !result.isEmpty else { return nil }
        return .array(keepingOnePrimary(result, preferLast: false))
    }

    /// The stored form of one value (an element, for multi-valued attributes).
    static func coerceSingle(_ value: JSONValue, for definition: AttributeDefinition, name: String) throws(SCIMError) -> JSONValue? {
        switch (definition.type, value) {
        case (_, .null):
            return nil
        case (.string, _) where definition.description == ResourceSchema.schemalessDescription:
            // An attribute no schema defines is kept as sent, whatever its JSON type (docs/IDP-BEHAVIOURS.md §6.9:
            // Microsoft's collection PUTs the misspelled `adreses` array and expects 200).
            return value
        case (.complex, .object(let object)):
            return try coerceComplex(object, for: definition, name: name)
        case (.complex, .array(let array)) where !definition.multiValued && array.count <= 1:
            guard let first = array.first else { return nil }
            return try coerceSingle(first, for: definition, name: name)
        case (.complex, .string), (.complex, .number):
            guard let valueDefinition = definition.subAttribute(named: "value") else {
                throw .invalidValue("'\(name)' must be an object, not a \(value.typeName)")
            }
            guard let coerced = try coerceSingle(value, for: valueDefinition, name: name + ".value") else { return nil }
            return .object(JSONObject([("value", coerced)]))
        case (.complex, _):
            if definition.description == ResourceSchema.schemalessDescription { return value }
            throw .invalidValue("'\(name)' must be an object, not a \(value.typeName)")
        case (.boolean, _):
            guard let bool = FilterComparison.boolean(value.trimmedString) else {
                throw .invalidValue("'\(name)' must be a boolean, not \(value.serialized())")
            }
            return .bool(bool)
        case (.integer, _):
            guard let number = FilterComparison.number(value), let int = JSONNumber(number).intValue, Double(int) == number else {
                throw .invalidValue("'\(name)' must be an integer, not \(value.serialized())")
            }
            if case .number = value { return value }
            return .integer(int)
        case (.decimal, _):
            if case .number = value { return value }
            guard let number = FilterComparison.number(value) else { throw .invalidValue("'\(name)' must be a number, not \(value.serialized())") }
            return .number(JSONNumber(number))
        case (.dateTime, .string(let string)):
            guard SCIMDateTime.instant(string) != nil else { throw .invalidValue("'\(name)' must be an xsd:dateTime, not \"\(string)\"") }
            return value
        case (.string, .string), (.reference, .string), (.binary, .string):
            return value
        case (.string, .number(let number)), (.reference, .number(let number)):
            return .string(number.text)
        case (.string, .bool(let bool)):
            return .string(bool ? "true" : "false")
        default:
            throw .invalidValue("'\(name)' must be a \(definition.type.rawValue), not a \(value.typeName)")
        }
    }

    /// Coerces each member of a complex value by its sub-attribute definition; unknown sub-attributes are kept as
    /// sent, nulls dropped, and read-only sub-attributes (such as `manager.displayName`) ignored.
    static func coerceComplex(_ object: JSONObject, for definition: AttributeDefinition, name: String) throws(SCIMError) -> JSONValue? {
        var result = JSONObject()
        for (key, member) in object {
            guard let sub = definition.subAttribute(named: key) else {
                if !member.isNull { result[key] = member }
                continue
            }
            if sub.mutability == .readOnly && definition.mutability != .readOnly { continue }
            if let coerced = try coerce(member, for: sub, name: name + "." + sub.name) { result[sub.name] = coerced }
        }
        return result.isEmpty ? nil : .object(result)
    }

    /// Leaves at most one element with `primary: true` (RFC 7643 §2.4). The one kept is the last primary among
    /// `touched` (the indices an operation just added or changed, so that value wins wherever it sits), else the last
    /// one when `preferLast`, otherwise the first.
    static func keepingOnePrimary(_ elements: [JSONValue], preferLast: Bool, touched: [Int] = []) -> [JSONValue] {
        let primaries = elements.indices.filter { elements[$0].objectValue?["primary"] == .bool(true) }
        let touchedPrimary = touched.last { primaries.contains($0) }
        guard primaries.count > 1, let keep = touchedPrimary ?? (preferLast ? primaries.last : primaries.first) else { return elements }
        var result = elements
        for index in primaries where index != keep {
            if var object = result[index].objectValue {
                object["primary"] = .bool(false)
                result[index] = .object(object)
            }
        }
        return result
    }
}

extension JSONValue {
    /// A string value without surrounding spaces; other values as they are.
    var trimmedString: JSONValue {
        if case .string(let string) = self { return .string(string.trimmingSpaces) }
        return self
    }
}
