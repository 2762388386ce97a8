/// A resource's attributes serialized in the form they go on the wire, so that a representation is spliced from the
/// stored bytes instead of parsed, rendered and serialized again.
///
/// The form is the default representation (``ResourceRenderer`` then the default ``AttributeProjection``) without
/// `id`, `meta` and what a store derives (a Group's `members`, a User's `groups`): a JSON object whose first member
/// is `schemas`. A representation is then `{"id":…,` + the document's members + the derived attributes +
/// `"meta":…}`: the same members as the rendered one, in another order, which JSON does not give meaning to. A
/// document in another form (stored before this form existed) is recognised by its first member and rendered the
/// long way.
public enum WireDocument {
    /// The first bytes of every document in wire form.
    static let prefix = Array(#"{"schemas":["#.utf8)

    /// The wire form of `attributes` (stored attributes, as ``ResourceNormalizer`` keeps them).
    public static func serialize(_ attributes: JSONObject, schema: ResourceSchema) -> String {
        var rendered = AttributeProjection().apply(to: ResourceRenderer.render(schema: schema, id: "", attributes: attributes), schema: schema)
        rendered["id"] = nil
        for name in schema.detachedAttributes { rendered[name] = nil }
        return JSONValue.object(rendered).serialized()
    }

    /// Whether `document` is in wire form.
    public static func isWireForm(_ document: String) -> Bool {
        var utf8 = document.utf8.makeIterator()
        for byte in prefix {
            guard utf8.next() == byte else { return false }
        }
        return true
    }

    /// The stored attributes of a parsed document: without `schemas`, which the wire form carries and the
    /// renderer computes.
    public static func attributes(of document: JSONObject) -> JSONObject {
        var attributes = document
        attributes["schemas"] = nil
        return attributes
    }

    /// Appends the representation of a resource to `output`: `id`, the members of `document` (in wire form, see
    /// ``isWireForm(_:)``), the `derived` attributes, and `meta`.
    public static func write(
        document: String,
        id: String,
        derived: JSONObject,
        meta: ResourceMeta,
        resourceType: String,
        to output: inout [UInt8]
    ) {
        output.append(contentsOf: #"{"id":"#.utf8)
        JSONValue.writeString(id, to: &output)
        output.append(UInt8(ascii: ","))
        // The document's members: everything between its braces.
        var utf8 = Substring(document).utf8
        utf8.removeFirst()
        utf8.removeLast()
        output.append(contentsOf: utf8)
        for (name, value) in derived {
            output.append(UInt8(ascii: ","))
            JSONValue.writeString(name, to: &output)
            output.append(UInt8(ascii: ":"))
            value.write(to: &output)
        }
        output.append(contentsOf: #","meta":"#.utf8)
        meta.write(resourceType: resourceType, to: &output)
        output.append(UInt8(ascii: "}"))
    }
}

extension ResourceMeta {
    /// Appends the `meta` object of ``document(resourceType:)`` to `output` without building it.
    public func write(resourceType: String, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"resourceType":"#.utf8)
        JSONValue.writeString(resourceType, to: &output)
        output.append(contentsOf: #","created":"#.utf8)
        JSONValue.writeString(created, to: &output)
        output.append(contentsOf: #","lastModified":"#.utf8)
        JSONValue.writeString(lastModified, to: &output)
        output.append(contentsOf: #","location":"#.utf8)
        JSONValue.writeString(location, to: &output)
        if let version {
            output.append(contentsOf: #","version":"#.utf8)
            JSONValue.writeString(version, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}
