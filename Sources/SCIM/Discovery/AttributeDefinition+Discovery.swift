extension AttributeDefinition {
    /// The attribute as it appears in a `/Schemas` document (RFC 7643 §7): every characteristic, in the order of
    /// RFC 7643 §8.7.1; `canonicalValues` and `referenceTypes` only when non-empty, `subAttributes` only for complex
    /// attributes (recursively). It contains no nulls, which Entra rejects.
    public var discoveryDocument: JSONValue {
        var object = JSONObject()
        object["name"] = .string(name)
        object["type"] = .string(type.rawValue)
        object["multiValued"] = .bool(multiValued)
        object["description"] = .string(description)
        object["required"] = .bool(required)
        if !canonicalValues.isEmpty { object["canonicalValues"] = .array(canonicalValues.map(JSONValue.string)) }
        object["caseExact"] = .bool(caseExact)
        object["mutability"] = .string(mutability.rawValue)
        object["returned"] = .string(returned.rawValue)
        object["uniqueness"] = .string(uniqueness.rawValue)
        if !referenceTypes.isEmpty { object["referenceTypes"] = .array(referenceTypes.map(JSONValue.string)) }
        if type == .complex { object["subAttributes"] = .array(subAttributes.map(\.discoveryDocument)) }
        return .object(object)
    }
}
