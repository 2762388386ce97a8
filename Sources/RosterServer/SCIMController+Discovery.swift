import Hummingbird
import RosterCore
import SCIM

extension SCIMController {
    /// `GET /ServiceProviderConfig`: the features Roster supports, with `filter.maxResults` the maximum page size.
    func serviceProviderConfig(request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try discoveryScope(request: request, context: context)
        let baseURL = scope.directoryBaseURL(configuration: configuration)
        return SCIMResponse.json(configuration.serviceProviderConfiguration.document(baseURL: baseURL))
    }

    /// `GET /ResourceTypes`: a ListResponse of the User and Group resource types.
    func resourceTypes(request: Request, context: SCIMRequestContext) async throws -> Response {
        try discoveryList(request: request, context: context, DiscoveryDocuments.allResourceTypes(baseURL:))
    }

    /// `GET /ResourceTypes/{id}`: one resource type; 404 for an unknown id.
    func resourceType(request: Request, context: SCIMRequestContext) async throws -> Response {
        try discoveryDocument(request: request, context: context, DiscoveryDocuments.resourceType(id:baseURL:))
    }

    /// `GET /Schemas`: a ListResponse of every schema Roster serves.
    func schemas(request: Request, context: SCIMRequestContext) async throws -> Response {
        try discoveryList(request: request, context: context, DiscoveryDocuments.allSchemas(baseURL:))
    }

    /// `GET /Schemas/{id}`: one schema by URN; 404 for an unknown one.
    func schema(request: Request, context: SCIMRequestContext) async throws -> Response {
        try discoveryDocument(request: request, context: context, DiscoveryDocuments.schema(id:baseURL:))
    }

    /// `/Bulk`, any method: 501, as `bulk.supported` is false. The body is not read.
    func bulk(request: Request, context: SCIMRequestContext) async throws -> Response {
        throw SCIMError(status: 501, detail: "Bulk operations are not supported (bulk.supported is false in /ServiceProviderConfig).")
    }

    /// A ListResponse, in one page, of the documents `documents` makes for the directory's SCIM Base URL.
    private func discoveryList(
        request: Request,
        context: SCIMRequestContext,
        _ documents: (_ baseURL: String) -> [JSONValue]
    ) throws -> Response {
        let scope = try discoveryScope(request: request, context: context)
        let all = documents(scope.directoryBaseURL(configuration: configuration))
        return SCIMResponse.json(ListResponse(totalResults: all.count, startIndex: 1, resources: all).document)
    }

    /// The document `document` makes of the path's `{id}` for the directory's SCIM Base URL; 404 for an unknown id.
    private func discoveryDocument(
        request: Request,
        context: SCIMRequestContext,
        _ document: (_ id: String, _ baseURL: String) throws -> JSONValue
    ) throws -> Response {
        let scope = try discoveryScope(request: request, context: context)
        let id = try scope.requireResourceID()
        return SCIMResponse.json(try document(id, scope.directoryBaseURL(configuration: configuration)))
    }

    /// The scope of a discovery request; 403 when it has a `filter` (RFC 7644 §4). Other parameters are ignored.
    private func discoveryScope(request: Request, context: SCIMRequestContext) throws -> RequestScope {
        let scope = try RequestScope(request: request, context: context)
        try DiscoveryDocuments.checkQuery(filter: scope.query.value(named: "filter"))
        return scope
    }
}
