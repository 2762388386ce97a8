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
    /// The stored attributes.
    public var attributes: JSONObject

    /// Makes a record (a row as just written, or decoded by a store).
    public init(rowID: Int64, id: String, directoryID: String, createdAt: Int64, modifiedAt: Int64, version: Int64, attributes: JSONObject) {
        self.rowID = rowID
        self.id = id
        self.directoryID = directoryID
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
        self.version = version
        self.attributes = attributes
    }

    /// The record of a row just inserted at `timestamp`: version 1, created and modified then (reading it back would
    /// only parse the document again).
    public static func inserted(rowID: Int64, id: String, directoryID: String, at timestamp: Int64, attributes: JSONObject) -> ResourceRecord {
        ResourceRecord(
            rowID: rowID,
            id: id,
            directoryID: directoryID,
            createdAt: timestamp,
            modifiedAt: timestamp,
            version: 1,
            attributes: attributes
        )
    }

    /// Makes a record from a stored document, which must be a JSON object.
    public init(rowID: Int64, id: String, directoryID: String, createdAt: Int64, modifiedAt: Int64, version: Int64, document: String) throws {
        guard let object = try JSONParser().parse(document).objectValue else {
            throw StoreCorruption(detail: "the document of \(id) is not a JSON object")
        }
        self.init(rowID: rowID, id: id, directoryID: directoryID, createdAt: createdAt, modifiedAt: modifiedAt, version: version, attributes: object)
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
            version: version
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
