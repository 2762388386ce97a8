/// One SCIM request and how it was answered, as the settings page's request log shows it. Nothing secret is ever
/// put in it: no headers, no bodies, and query values named like a secret are redacted before it is made.
public struct RequestLogEntry: Sendable, Hashable {
    /// When it arrived, in milliseconds since 1970.
    public var at: Int64
    /// The directory named in its path.
    public var directoryID: String
    /// The HTTP method.
    public var method: String
    /// The path and query, with secret query values redacted.
    public var path: String
    /// The response status.
    public var status: Int
    /// How long the answer took, in milliseconds.
    public var durationMilliseconds: Double
    /// The SCIM error detail of an error answer.
    public var detail: String?

    /// Makes an entry.
    public init(at: Int64, directoryID: String, method: String, path: String, status: Int, durationMilliseconds: Double, detail: String?) {
        self.at = at
        self.directoryID = directoryID
        self.method = method
        self.path = path
        self.status = status
        self.durationMilliseconds = durationMilliseconds
        self.detail = detail
    }
}
