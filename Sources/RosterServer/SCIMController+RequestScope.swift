import Hummingbird
import RosterCore
import SCIM

extension SCIMController {
    /// What a SCIM request names besides its body: the directory and resource ids from the path (percent-decoded)
    /// and the decoded query string.
    struct RequestScope: Sendable {
        /// The directory the request is for (already authenticated).
        var directoryID: String
        /// The `{id}` path parameter, when the route has one.
        var resourceID: String?
        /// The query parameters.
        var query: QueryString

        /// Reads the scope of a routed request; the directory as ``SCIMRequestMiddleware`` read it.
        init(request: Request, context: SCIMRequestContext) throws {
            directoryID = context.directoryID
            resourceID = context.parameters.get("id").map { QueryString.decodePathSegment($0) }
            query = QueryString(request.uri.query)
        }

        /// The `{id}` path parameter; 404 when the route has none.
        func requireResourceID() throws(SCIMError) -> String {
            guard let resourceID, !resourceID.isEmpty else { throw SCIMError.notFound("No resource id in the request path.") }
            return resourceID
        }

        /// The `attributes` and `excludedAttributes` query parameters; 400 `invalidValue` for a bad name.
        func projection() throws(SCIMError) -> AttributeProjection {
            try AttributeProjection(attributes: query.value(named: "attributes"), excludedAttributes: query.value(named: "excludedAttributes"))
        }

        /// Whether the query names attributes to return or leave out (even with an empty list).
        var asksForProjection: Bool {
            query.contains("attributes") || query.contains("excludedAttributes")
        }

        /// The list query the query parameters describe, with the configured page sizes.
        func listQuery(configuration: ServerConfiguration) throws(SCIMError) -> ListQuery {
            try ListQuery(parameters: query.dictionary, defaultCount: configuration.defaultPageSize, maximumCount: configuration.maxPageSize)
        }

        /// The directory's SCIM Base URL, for discovery documents.
        func directoryBaseURL(configuration: ServerConfiguration) -> String {
            SCIMPaths.base(baseURL: configuration.baseURL, directoryID: directoryID)
        }
    }
}
