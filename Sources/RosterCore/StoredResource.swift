import SCIM

/// A user or group as the store returns it: its attributes, its bookkeeping, and what the store derives (a group's
/// `members`, a user's `groups`).
public struct StoredResource: Sendable, Hashable {
    /// The kind of resource.
    public var kind: ResourceKind
    /// The resource's id.
    public var id: String
    /// The directory it belongs to.
    public var directoryID: String
    /// The stored attributes (no `id`, `meta` or derived attributes).
    public var attributes: JSONObject
    /// Derived attributes, present when asked for.
    public var derived: JSONObject
    /// When it was created, in milliseconds since 1970.
    public var createdAt: Int64
    /// When it last changed, in milliseconds since 1970.
    public var modifiedAt: Int64
    /// A counter that moves on every real change; the weak ETag is `W/"version"`.
    public var version: Int64
    /// The stored document when it is in wire form (``WireDocument``) and holds exactly ``attributes`` (when set by
    /// a read for the wire, ``attributes`` may be empty): the default representation is spliced from it.
    public var wireDocument: String?

    /// Makes a stored resource.
    public init(
        kind: ResourceKind,
        id: String,
        directoryID: String,
        attributes: JSONObject,
        derived: JSONObject = JSONObject(),
        createdAt: Int64,
        modifiedAt: Int64,
        version: Int64,
        wireDocument: String? = nil
    ) {
        self.kind = kind
        self.id = id
        self.directoryID = directoryID
        self.attributes = attributes
        self.derived = derived
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
        self.version = version
        self.wireDocument = wireDocument
    }

    /// The weak ETag of this version.
    public var etag: String { "W/\"\(version)\"" }

    /// The resource's URI under a directory's SCIM Base URL.
    public func location(baseURL: String) -> String {
        SCIMPaths.base(baseURL: baseURL, directoryID: directoryID) + "/" + kind.endpoint + "/" + id
    }

    /// The `meta` of the representation.
    public func meta(baseURL: String) -> ResourceMeta {
        ResourceMeta(
            created: SCIMDateTime.format(millisecondsSince1970: createdAt),
            lastModified: SCIMDateTime.format(millisecondsSince1970: modifiedAt),
            location: location(baseURL: baseURL),
            version: etag
        )
    }

    /// The full SCIM representation.
    public func representation(baseURL: String) -> JSONObject {
        guard let wireDocument, attributes.isEmpty else {
            return ResourceRenderer.render(
                schema: kind.schema,
                id: id,
                attributes: attributes,
                derived: referenced(baseURL: baseURL),
                meta: meta(baseURL: baseURL)
            )
        }
        // Read for the wire only: the attributes are in the document.
        var parsed = self
        parsed.attributes = (try? ResourceDocument.attributes(of: wireDocument, id: id)) ?? JSONObject()
        parsed.wireDocument = nil
        return parsed.representation(baseURL: baseURL)
    }

    /// Appends the default representation (``representation(baseURL:)`` with the default projection) to `output`,
    /// spliced from ``wireDocument`` when there is one.
    public func writeDefaultRepresentation(baseURL: String, to output: inout [UInt8]) {
        guard let wireDocument else {
            JSONValue.object(AttributeProjection().apply(to: representation(baseURL: baseURL), schema: kind.schema)).write(to: &output)
            return
        }
        WireDocument.write(
            document: wireDocument,
            id: id,
            derived: referenced(baseURL: baseURL),
            meta: meta(baseURL: baseURL),
            resourceType: kind.schema.name,
            to: &output
        )
    }

    /// The derived attributes with each reference's `$ref` (a member's or a group's URI) filled in.
    private func referenced(baseURL: String) -> JSONObject {
        var result = derived
        let root = SCIMPaths.base(baseURL: baseURL, directoryID: directoryID)
        for (name, endpoint) in [("members", "/Users/"), ("groups", "/Groups/")] {
            guard let elements = derived[name]?.arrayValue else { continue }
            result[name] = .array(
                elements.map { element in
                    guard let object = element.objectValue, let id = object["value"]?.stringValue else { return element }
                    var withReference = JSONObject([("value", .string(id)), ("$ref", .string(root + endpoint + id))])
                    for (key, value) in object where key != "value" { withReference[key] = value }
                    return .object(withReference)
                }
            )
        }
        return result
    }
}
