import SCIM

/// One user or group row as a store reads it (the columns of ``ResourceTable/selectColumns``), whichever the store.
public struct ResourceRecord: Sendable {
    /// The internal row id, used by membership rows and as the tie-breaker of every order.
    public var rowID: Int64
    /// The public id.
    public var id: String
    /// The directory it belongs to.
    public var directoryID: String
    /// Milliseconds since 1970 of creation.
    public var createdAt: Int64
    /// Milliseconds since 1970 of the last change.
    public var modifiedAt: Int64
    /// The version counter.
    public var version: Int64
    /// The stored attributes (empty when the record was read for a response only, see
    /// ``init(rowID:id:directoryID:createdAt:modifiedAt:version:document:forResponse:)``).
    public var attributes: JSONObject
    /// The stored document when it is in wire form (``WireDocument``): a representation is spliced from it.
    public var wireDocument: String?

    /// Makes a record (a row as just written, or decoded by a store).
    public init(
        rowID: Int64,
        id: String,
        directoryID: String,
        createdAt: Int64,
        modifiedAt: Int64,
        version: Int64,
        attributes: JSONObject,
        wireDocument: String? = nil
    ) {
        self.rowID = rowID
        self.id = id
        self.directoryID = directoryID
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
        self.version = version
        self.attributes = attributes
        self.wireDocument = wireDocument
    }

    /// The record of a row just inserted at `timestamp` with `document` (``ResourceDocument/serialize(_:kind:)`` of
    /// `attributes`): version 1, created and modified then (reading it back would only parse the document again).
    public static func inserted(
        rowID: Int64,
        id: String,
        directoryID: String,
        at timestamp: Int64,
        attributes: JSONObject,
        document: String
    ) -> ResourceRecord {
        ResourceRecord(
            rowID: rowID,
            id: id,
            directoryID: directoryID,
            createdAt: timestamp,
            modifiedAt: timestamp,
            version: 1,
            attributes: attributes,
            wireDocument: document
        )
    }

    /// Makes a record from a stored document, which must be a JSON object. For a response only (`forResponse`), a
    /// document in wire form is kept as it is, unparsed (``attributes`` stays empty); one in an older form is parsed,
    /// to be rendered the long way.
    public init(
        rowID: Int64,
        id: String,
        directoryID: String,
        createdAt: Int64,
        modifiedAt: Int64,
        version: Int64,
        document: String,
        forResponse: Bool = false
    ) throws {
        let inWireForm = WireDocument.isWireForm(document)
        self.init(
            rowID: rowID,
            id: id,
            directoryID: directoryID,
            createdAt: createdAt,
            modifiedAt: modifiedAt,
            version: version,
            attributes: forResponse && inWireForm ? JSONObject() : try ResourceDocument.attributes(of: document, id: id),
            wireDocument: inWireForm ? document : nil
        )
    }

    /// Replaces the attributes with `attributes`, stored as `document`.
    public mutating func store(_ attributes: JSONObject, document: String) {
        self.attributes = attributes
        wireDocument = document
    }

    /// The stored resource, with `derived` attributes.
    public func stored(_ kind: ResourceKind, derived: JSONObject = JSONObject()) -> StoredResource {
        StoredResource(
            kind: kind,
            id: id,
            directoryID: directoryID,
            attributes: attributes,
            derived: derived,
            createdAt: createdAt,
            modifiedAt: modifiedAt,
            version: version,
            wireDocument: wireDocument
        )
    }

    /// The entity tag of this version, `W/"n"`.
    public var etag: String { "W/\"\(version)\"" }

    /// Throws 412 unless this version satisfies `precondition` (`If-Match`).
    public func check(_ precondition: VersionPrecondition?) throws {
        guard let precondition else { return }
        guard precondition.isSatisfied(by: etag) else {
            throw SCIMError(status: 412, detail: "the resource's version is \(etag), not the one in If-Match")
        }
    }
}
