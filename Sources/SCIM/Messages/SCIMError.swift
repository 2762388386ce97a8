/// The `scimType` detail error keywords of RFC 7644 §3.12.
public enum SCIMErrorType: String, Sendable, Hashable, CaseIterable {
    /// The filter syntax is invalid, or the attribute and comparison combination is not supported.
    case invalidFilter
    /// The filter yields more results than the server is willing to process.
    case tooMany
    /// One or more unique attribute values are in use.
    case uniqueness
    /// The attempted modification is not compatible with the target attribute's mutability.
    case mutability
    /// The request body structure was invalid.
    case invalidSyntax
    /// The `path` attribute was invalid or malformed.
    case invalidPath
    /// The path did not yield an attribute or value that could be operated on.
    case noTarget
    /// A required value was missing, or the value is not compatible with the attribute's type.
    case invalidValue
    /// The specified SCIM protocol version is not supported.
    case invalidVers
    /// The request cannot be completed because of sensitive information in the URI.
    case sensitive

    /// The HTTP status that goes with this error type.
    public var status: Int {
        switch self {
        case .uniqueness: 409
        case .sensitive: 403
        default: 400
        }
    }
}

/// A SCIM protocol error: one HTTP status, an optional `scimType`, and a human-readable detail.
public struct SCIMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code.
    public var status: Int
    /// The RFC 7644 error keyword, when one applies.
    public var scimType: SCIMErrorType?
    /// What went wrong, for the person reading the IdP's log.
    public var detail: String

    /// Makes an error with an explicit status.
    public init(status: Int, scimType: SCIMErrorType? = nil, detail: String) {
        self.status = status
        self.scimType = scimType
        self.detail = detail
    }

    /// Makes an error whose status follows from its `scimType`.
    public init(_ scimType: SCIMErrorType, _ detail: String) {
        self.init(status: scimType.status, scimType: scimType, detail: detail)
    }

    /// 400 `invalidFilter`.
    public static func invalidFilter(_ detail: String) -> SCIMError { SCIMError(.invalidFilter, detail) }
    /// 400 `invalidPath`.
    public static func invalidPath(_ detail: String) -> SCIMError { SCIMError(.invalidPath, detail) }
    /// 400 `invalidValue`.
    public static func invalidValue(_ detail: String) -> SCIMError { SCIMError(.invalidValue, detail) }
    /// 400 `invalidSyntax`.
    public static func invalidSyntax(_ detail: String) -> SCIMError { SCIMError(.invalidSyntax, detail) }
    /// 400 `noTarget`.
    public static func noTarget(_ detail: String) -> SCIMError { SCIMError(.noTarget, detail) }
    /// 400 `mutability`.
    public static func mutability(_ detail: String) -> SCIMError { SCIMError(.mutability, detail) }
    /// 409 `uniqueness`.
    public static func uniqueness(_ detail: String) -> SCIMError { SCIMError(.uniqueness, detail) }
    /// 400 `tooMany`.
    public static func tooMany(_ detail: String) -> SCIMError { SCIMError(.tooMany, detail) }
    /// 404 for a resource or endpoint that does not exist.
    public static func notFound(_ detail: String) -> SCIMError { SCIMError(status: 404, detail: detail) }

    /// The error message document of RFC 7644 §3.12, with `status` as a string.
    public var document: JSONValue {
        var object = JSONObject()
        object["schemas"] = .array([.string(SCIMSchemaURN.error)])
        object["status"] = .string(String(status))
        if let scimType { object["scimType"] = .string(scimType.rawValue) }
        object["detail"] = .string(detail)
        return .object(object)
    }

    /// A one-line description.
    public var description: String { "\(status) \(scimType?.rawValue ?? "-"): \(detail)" }
}
