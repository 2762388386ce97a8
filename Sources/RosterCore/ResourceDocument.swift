import SCIM

/// The `document` column of a user or group row, written and read the same way by every store: the attributes in
/// wire form (``WireDocument``), so that responses are spliced from the stored text.
public enum ResourceDocument {
    /// The document to store for `attributes` of a resource of `kind`.
    public static func serialize(_ attributes: JSONObject, kind: ResourceKind) -> String {
        WireDocument.serialize(attributes, schema: kind.schema)
    }

    /// The stored attributes of a document (without the `schemas` the wire form carries); throws
    /// ``StoreCorruption`` when it is not a JSON object.
    public static func attributes(of document: String, id: String) throws -> JSONObject {
        guard let object = try JSONParser().parse(document).objectValue else {
            throw StoreCorruption(detail: "the document of \(id) is not a JSON object")
        }
        return WireDocument.attributes(of: object)
    }
}
