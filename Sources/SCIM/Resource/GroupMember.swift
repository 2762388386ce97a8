/// One member of a group as an IdP names it: the member's id, and optionally its type and display name.
public struct GroupMember: Sendable, Hashable {
    /// The id of the member resource.
    public var value: String
    /// `User` or `Group`, when the IdP said.
    public var type: String?
    /// The display name the IdP sent, when it did.
    public var display: String?

    /// Makes a member.
    public init(value: String, type: String? = nil, display: String? = nil) {
        self.value = value
        self.type = type
        self.display = display
    }

    /// Reads a member from what an IdP sent: an object with `value` (Okta, Entra with `"$ref": null`, JumpCloud),
    /// or a bare id string (Microsoft's test collection). `$ref` and unknown keys are ignored.
    public init(parsing json: JSONValue, name: String = "members") throws(SCIMError) {
        switch json {
        case .string(let id):
            guard !id.trimmingSpaces.isEmpty else { throw .invalidValue("'\(name)' has an empty member id") }
            self.init(value: id.trimmingSpaces)
        case .number(let number):
            self.init(value: number.text)
        case .object(let object):
            let id: String
            switch object.value(forName: "value") {
            case .string(let string)?: id = string.trimmingSpaces
            case .number(let number)?: id = number.text
            default: throw .invalidValue("each of '\(name)' needs a string 'value' with the member's id")
            }
            guard !id.isEmpty else { throw .invalidValue("'\(name)' has an empty member id") }
            self.init(value: id, type: object.value(forName: "type")?.stringValue, display: object.value(forName: "display")?.stringValue)
        default:
            throw .invalidValue("each of '\(name)' must be an object with a 'value', not a \(json.typeName)")
        }
    }

    /// Reads a list of members: an array, a single member, or null (no members). Repeated ids are kept once.
    public static func parseList(_ json: JSONValue?, name: String = "members") throws(SCIMError) -> [GroupMember] {
        guard let json, !json.isNull else { return [] }
        var seen = Set<String>()
        var members: [GroupMember] = []
        for element in json.arrayValue ?? [json] where !element.isNull {
            let member = try GroupMember(parsing: element, name: name)
            if seen.insert(member.value).inserted { members.append(member) }
        }
        return members
    }

    /// The member as it appears in a Group's `members` (with `$ref` when a base URL is given).
    public func document(baseURL: String? = nil) -> JSONValue {
        var object = JSONObject()
        object["value"] = .string(value)
        if let baseURL { object["$ref"] = .string(baseURL + ((type ?? "User") == "Group" ? "/Groups/" : "/Users/") + value) }
        if let display { object["display"] = .string(display) }
        if let type { object["type"] = .string(type) }
        return .object(object)
    }
}
