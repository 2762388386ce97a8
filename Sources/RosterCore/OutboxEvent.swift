import SCIM

/// One change as the outbox records it, in the order changes were committed.
public struct OutboxEvent: Sendable, Hashable {
    /// The position in the organization's event sequence.
    public var sequence: Int64
    /// The event's unique id.
    public var id: String
    /// The kind of change, such as `user.created` or `team.member_added`.
    public var type: String
    /// The directory the change came from, when it came from one.
    public var directoryID: String?
    /// The resource the change is about.
    public var resourceID: String?
    /// What the resource looks like now.
    public var data: JSONValue
    /// For updates, the changed attributes' values before the change.
    public var previousAttributes: JSONValue?
    /// When it was committed, in milliseconds since 1970.
    public var createdAt: Int64

    /// Makes an event.
    public init(
        sequence: Int64,
        id: String,
        type: String,
        directoryID: String?,
        resourceID: String?,
        data: JSONValue,
        previousAttributes: JSONValue?,
        createdAt: Int64
    ) {
        self.sequence = sequence
        self.id = id
        self.type = type
        self.directoryID = directoryID
        self.resourceID = resourceID
        self.data = data
        self.previousAttributes = previousAttributes
        self.createdAt = createdAt
    }

    /// The event as one JSON object: `id`, `type`, `sequence`, `created_at`, `directory_id`, `data`,
    /// `previous_attributes`.
    public var document: JSONValue {
        var object = JSONObject()
        object["id"] = .string(id)
        object["type"] = .string(type)
        object["sequence"] = .number(JSONNumber(Int(sequence)))
        object["created_at"] = .string(SCIMDateTime.format(millisecondsSince1970: createdAt))
        object["directory_id"] = directoryID.map(JSONValue.string) ?? .null
        object["data"] = data
        object["previous_attributes"] = previousAttributes ?? .null
        return .object(object)
    }
}
