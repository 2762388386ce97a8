import RosterCore

/// What a request under the SCIM prefix is, read once from its method and path: the directory named in the path
/// and the operation (the metrics label). ``SCIMRequestMiddleware`` reads it before routing, so that unknown paths
/// under the prefix are authenticated and answered in SCIM form too, and hands it on in the request context.
public struct SCIMRequestPath: Sendable, Hashable {
    /// The directory id named in the path (percent-decoded); empty when the path stops at the prefix.
    public var directoryID: String
    /// The operation, such as `list_users`, `patch_group`, `discovery` or `other`.
    public var operation: String

    /// Reads a request's method and path (without its query); nil when the path is not under ``SCIMPaths/prefix``.
    public init?(method: String, path: String) {
        let prefix = SCIMPaths.prefix
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        guard rest.isEmpty || rest.hasPrefix("/") else { return nil }
        let segments = rest.split(separator: "/", omittingEmptySubsequences: true)
        directoryID = QueryString.decodePathSegment(segments.first ?? "")
        operation = SCIMRequestPath.operation(method: method, below: segments.dropFirst())
    }

    /// The operation of `method` on the path segments after the directory: `/{endpoint}/{id}`.
    static func operation(method: String, below segments: ArraySlice<Substring>) -> String {
        guard let endpoint = segments.first else { return "root" }
        let kind: String
        switch endpoint.lowercased() {
        case "users": kind = "user"
        case "groups": kind = "group"
        case ".search": return "search"
        case "serviceproviderconfig", "resourcetypes", "schemas": return "discovery"
        default: return "other"
        }
        let rest = segments.dropFirst()
        if rest.first == ".search" { return "search_\(kind)s" }
        let withID = !rest.isEmpty
        switch method.uppercased() {
        case "GET": return withID ? "get_\(kind)" : "list_\(kind)s"
        case "POST": return "create_\(kind)"
        case "PUT": return "replace_\(kind)"
        case "PATCH": return "patch_\(kind)"
        case "DELETE": return "delete_\(kind)"
        default: return "other"
        }
    }
}
