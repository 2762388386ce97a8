import RosterCore

/// Where a request path sits relative to the SCIM endpoints: under `/api/scim/v2.0/{directoryId}` or not. The
/// middlewares use it before routing, so that unknown paths under the prefix are authenticated and answered in SCIM
/// form too.
struct SCIMRequestPath: Sendable, Hashable {
    /// The directory id named in the path (percent-decoded); empty when the path stops at the prefix.
    var directoryID: String

    /// Reads a request path (without its query); nil when it is not under ``SCIMPaths/prefix``.
    init?(path: String) {
        let prefix = SCIMPaths.prefix
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        guard rest.isEmpty || rest.hasPrefix("/") else { return nil }
        let segment = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first ?? ""
        directoryID = QueryString.decodePathSegment(segment)
    }
}
