/// The read-only `meta` of a resource (RFC 7643 §3.1), as a store keeps it.
public struct ResourceMeta: Sendable, Hashable {
    /// When the resource was created, as xsd:dateTime.
    public var created: String
    /// When the resource last changed, as xsd:dateTime.
    public var lastModified: String
    /// The absolute URI of the resource; the `Location` header carries the same.
    public var location: String
    /// The version, used as a weak ETag (`W/"…"`), when the store keeps one.
    public var version: String?

    /// Makes a meta.
    public init(created: String, lastModified: String, location: String, version: String? = nil) {
        self.created = created
        self.lastModified = lastModified
        self.location = location
        self.version = version
    }

    /// The `meta` object for a resource of type `resourceType`.
    public func document(resourceType: String) -> JSONValue {
        var object = JSONObject()
        object["resourceType"] = .string(resourceType)
        object["created"] = .string(created)
        object["lastModified"] = .string(lastModified)
        object["location"] = .string(location)
        if let version { object["version"] = .string(version) }
        return .object(object)
    }
}
