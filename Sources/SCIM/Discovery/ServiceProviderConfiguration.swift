/// The features Roster advertises at `/ServiceProviderConfig` (RFC 7644 §4, RFC 7643 §5). The defaults describe
/// Roster; the document is rendered by ``document(baseURL:)`` and conforms to ``CoreSchemas/serviceProviderConfig``.
public struct ServiceProviderConfiguration: Sendable, Hashable {
    /// The URL of the service provider's human-readable help; the member is omitted when nil.
    public var documentationUri: String?
    /// Whether PATCH is supported.
    public var patchSupported: Bool
    /// Whether `/Bulk` is supported.
    public var bulkSupported: Bool
    /// The maximum number of operations in one bulk request. Kept positive even when bulk is unsupported, because
    /// Okta's SPEC test requires a non-empty value and may count 0 as empty.
    public var bulkMaxOperations: Int
    /// The maximum bulk payload size in bytes; positive for the same reason as ``bulkMaxOperations``.
    public var bulkMaxPayloadSize: Int
    /// Whether filtering is supported.
    public var filterSupported: Bool
    /// The maximum number of resources returned in one response.
    public var filterMaxResults: Int
    /// Whether changing a password is supported.
    public var changePasswordSupported: Bool
    /// Whether sorting is supported.
    public var sortSupported: Bool
    /// Whether ETags (`meta.version`, `If-Match`, `If-None-Match`) are supported.
    public var etagSupported: Bool
    /// The authentication schemes accepted, the primary one first.
    public var authenticationSchemes: [AuthenticationScheme]

    /// Makes a configuration; the defaults are Roster's features.
    public init(
        documentationUri: String? = nil,
        patchSupported: Bool = true,
        bulkSupported: Bool = false,
        bulkMaxOperations: Int = 1,
        bulkMaxPayloadSize: Int = 10_485_760,
        filterSupported: Bool = true,
        filterMaxResults: Int = 1000,
        changePasswordSupported: Bool = false,
        sortSupported: Bool = true,
        etagSupported: Bool = true,
        authenticationSchemes: [AuthenticationScheme] = [.bearerToken]
    ) {
        self.documentationUri = documentationUri
        self.patchSupported = patchSupported
        self.bulkSupported = bulkSupported
        self.bulkMaxOperations = bulkMaxOperations
        self.bulkMaxPayloadSize = bulkMaxPayloadSize
        self.filterSupported = filterSupported
        self.filterMaxResults = filterMaxResults
        self.changePasswordSupported = changePasswordSupported
        self.sortSupported = sortSupported
        self.etagSupported = etagSupported
        self.authenticationSchemes = authenticationSchemes
    }

    /// The ServiceProviderConfig document, a single object (not a ListResponse), with `meta.location` under
    /// `baseURL` (a trailing slash is ignored). It contains no nulls.
    public func document(baseURL: String) -> JSONValue {
        var object = JSONObject()
        object["schemas"] = .array([.string(SCIMSchemaURN.serviceProviderConfig)])
        if let documentationUri { object["documentationUri"] = .string(documentationUri) }
        object["patch"] = ["supported": .bool(patchSupported)]
        object["bulk"] = [
            "supported": .bool(bulkSupported),
            "maxOperations": .integer(bulkMaxOperations),
            "maxPayloadSize": .integer(bulkMaxPayloadSize),
        ]
        object["filter"] = ["supported": .bool(filterSupported), "maxResults": .integer(filterMaxResults)]
        object["changePassword"] = ["supported": .bool(changePasswordSupported)]
        object["sort"] = ["supported": .bool(sortSupported)]
        object["etag"] = ["supported": .bool(etagSupported)]
        object["authenticationSchemes"] = .array(authenticationSchemes.map(\.document))
        object["meta"] = [
            "resourceType": "ServiceProviderConfig",
            "location": .string(DiscoveryDocuments.location(baseURL: baseURL, path: "/ServiceProviderConfig")),
        ]
        return .object(object)
    }
}
