import Hummingbird
import RosterCore
import SCIM

extension SCIMController {
    /// `GET /ServiceProviderConfig`: the features Roster supports, with `filter.maxResults` the maximum page size.
    func serviceProviderConfig(request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try discoveryScope(request: request, context: context)
        return SCIMResponse.json(configuration.serviceProviderConfiguration.document(baseURL: scope.directoryBaseURL(configuration: configuration)))
    }

    /// `GET /ResourceTypes`: a ListResponse of the User and Group resource types.
    func resourceTypes(request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try discoveryScope(request: request, context: context)
        let documents = DiscoveryDocuments.allResourceTypes(baseURL: scope.directoryBaseURL(configuration: configuration))
        return SCIMResponse.json(ListResponse(totalResults: documents.count, startIndex: 1, resources: documents).document)
    }

    /// `GET /ResourceTypes/{id}`: one resource type; 404 for an unknown id.
    func resourceType(request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try discoveryScope(request: request, context: context)
        let id = try scope.requireResourceID()
        return SCIMResponse.json(try DiscoveryDocuments.resourceType(id: id, baseURL: scope.directoryBaseURL(configuration: configuration)))
    }

    /// `GET /Schemas`: a ListResponse of every schema Roster serves.
    func schemas(request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try discoveryScope(request: request, context: context)
        let documents = DiscoveryDocuments.allSchemas(baseURL: scope.directoryBaseURL(configuration: configuration))
        return SCIMResponse.json(ListResponse(totalResults: documents.count, startIndex: 1, resources: documents).document)
    }

    /// `GET /Schemas/{id}`: one schema by URN; 404 for an unknown one.
    func schema(request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try discoveryScope(request: request, context: context)
        let id = try scope.requireResourceID()
        return SCIMResponse.json(try DiscoveryDocuments.schema(id: id, baseURL: scope.directoryBaseURL(configuration: configuration)))
    }

    /// `/Bulk`, any method: 501, as `bulk.supported` is false. The body is not read.
    func bulk(request: Request, context: SCIMRequestContext) async throws -> Response {
        throw SCIMError(status: 501, detail: "Bulk operations are not supported (bulk.supported is false in /ServiceProviderConfig).")
    }

    /// The scope of a discovery request; 403 when it has a `filter` (RFC 7644 §4). Other parameters are ignored.
    private func discoveryScope(request: Request, context: SCIMRequestContext) throws -> RequestScope {
        let scope = try RequestScope(request: request, context: context)
        try DiscoveryDocuments.checkQuery(filter: scope.query.value(named: "filter"))
        return scope
    }
}
