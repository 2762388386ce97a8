import Hummingbird
import RosterCore
import SCIM

extension SCIMController {
    /// `GET /Users`, `GET /Groups`: a filtered, sorted, paged ListResponse; 200 with `totalResults` 0 when nothing
    /// matches.
    func list(_ kind: ResourceKind, request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try RequestScope(request: request, context: context)
        let query = try scope.listQuery(configuration: configuration)
        return try await listResponse(kind, directoryID: scope.directoryID, query: query)
    }

    /// `POST /Users/.search`, `POST /Groups/.search`: the same as a list, from a SearchRequest body.
    func search(_ kind: ResourceKind, request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try RequestScope(request: request, context: context)
        let body = try await readJSONBody(request)
        let query = try ListQuery(searchRequest: body, defaultCount: configuration.defaultPageSize, maximumCount: configuration.maxPageSize)
        return try await listResponse(kind, directoryID: scope.directoryID, query: query)
    }

    /// One page of `kind` as a ListResponse, with derived attributes loaded only when they are returned.
    private func listResponse(_ kind: ResourceKind, directoryID: String, query: ListQuery) async throws -> Response {
        try query.filter?.validate(for: kind.schema)
        let includeDerived = query.projection.includes(kind.derivedAttribute, schema: kind.schema)
        let page =
            query.projection.isDefault
            ? try await store.listForResponse(kind, directoryID: directoryID, query: query, includeDerived: includeDerived)
            : try await store.list(kind, directoryID: directoryID, query: query, includeDerived: includeDerived)
        return listResponse(totalResults: page.totalResults, startIndex: query.startIndex, resources: page.resources, projection: query.projection)
    }

    /// `POST /Users`, `POST /Groups`: 201 with the created resource, `Location` equal to `meta.location`, `ETag`.
    func create(_ kind: ResourceKind, request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try RequestScope(request: request, context: context)
        let projection = try scope.projection()
        let body = try await readJSONBody(request)
        let input = try ResourceNormalizer.normalize(body, schema: kind.schema)
        logIgnoredAttributes(input.ignoredAttributes, context: context)
        let resource = try await store.create(kind, directoryID: scope.directoryID, input: input)
        let location = resource.location(baseURL: configuration.baseURL)
        return resourceResponse(resource, projection: projection, status: .created, location: location)
    }

    /// `GET /Users/{id}`, `GET /Groups/{id}`: 200 with the resource and its `ETag`; 304 when `If-None-Match`
    /// names the current version; 404 when it does not exist.
    func get(_ kind: ResourceKind, request: Request, context: SCIMRequestContext) async throws -> Response {
        let (scope, id, projection) = try itemRequest(request, context: context)
        let includeDerived = projection.includes(kind.derivedAttribute, schema: kind.schema)
        let resource =
            projection.isDefault
            ? try await store.resourceForResponse(kind, directoryID: scope.directoryID, id: id, includeDerived: includeDerived)
            : try await store.resource(kind, directoryID: scope.directoryID, id: id, includeDerived: includeDerived)
        if let tags = VersionPrecondition(ifMatch: request.headers[.ifNoneMatch]), tags.isSatisfied(by: resource.etag) {
            return SCIMResponse.empty(status: .notModified, headers: SCIMController.resourceHeaders(resource))
        }
        return resourceResponse(resource, projection: projection)
    }

    /// `PUT /Users/{id}`, `PUT /Groups/{id}`: replaces the resource (honouring `If-Match`), 200 with it.
    func replace(_ kind: ResourceKind, request: Request, context: SCIMRequestContext) async throws -> Response {
        let (scope, id, projection) = try itemRequest(request, context: context)
        let body = try await readJSONBody(request)
        guard let object = body.objectValue else { throw SCIMError.invalidSyntax("The PUT body must be a JSON object.") }
        if context.logger.logLevel <= .debug {
            logIgnoredAttributes(ResourceNormalizer.ignoredAttributes(in: object, schema: kind.schema), context: context)
        }
        let resource = try await store.replace(
            kind,
            directoryID: scope.directoryID,
            id: id,
            body: body,
            precondition: VersionPrecondition(ifMatch: request.headers[.ifMatch]),
            includeDerived: projection.includes(kind.derivedAttribute, schema: kind.schema)
        )
        return resourceResponse(resource, projection: projection)
    }

    /// `PATCH /Users/{id}`: 200 with the resource. `PATCH /Groups/{id}`: 204 without loading the members, or 200
    /// with the projected group when the query has `attributes` or `excludedAttributes` (docs/IDP-BEHAVIOURS.md §6.4).
    func patch(_ kind: ResourceKind, request: Request, context: SCIMRequestContext) async throws -> Response {
        let (scope, id, projection) = try itemRequest(request, context: context)
        let body = try await readJSONBody(request)
        let patch = try PatchRequest(parsing: body)
        if context.logger.logLevel <= .debug {
            let values = patch.operations.compactMap { $0.path == nil ? $0.value?.objectValue : nil }
            logIgnoredAttributes(values.flatMap { ResourceNormalizer.ignoredAttributes(in: $0, schema: kind.schema) }, context: context)
        }
        let returnsBody = kind == .user || scope.asksForProjection
        let resource = try await store.patch(
            kind,
            directoryID: scope.directoryID,
            id: id,
            request: patch,
            precondition: VersionPrecondition(ifMatch: request.headers[.ifMatch]),
            includeDerived: returnsBody && projection.includes(kind.derivedAttribute, schema: kind.schema)
        )
        guard returnsBody else {
            return SCIMResponse.empty(status: .noContent, headers: SCIMController.resourceHeaders(resource))
        }
        return resourceResponse(resource, projection: projection)
    }

    /// `DELETE /Users/{id}`, `DELETE /Groups/{id}`: 204 with no body (honouring `If-Match`); 404 when it does
    /// not exist.
    func delete(_ kind: ResourceKind, request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try RequestScope(request: request, context: context)
        let id = try scope.requireResourceID()
        try await store.delete(kind, directoryID: scope.directoryID, id: id, precondition: VersionPrecondition(ifMatch: request.headers[.ifMatch]))
        return SCIMResponse.empty(status: .noContent)
    }

    /// What a request for one resource (`/Users/{id}`, `/Groups/{id}`) names: its scope, the resource id (404 when
    /// the path has none) and the attributes to return (400 for a bad name).
    private func itemRequest(
        _ request: Request,
        context: SCIMRequestContext
    ) throws -> (scope: RequestScope, id: String, projection: AttributeProjection) {
        let scope = try RequestScope(request: request, context: context)
        return try (scope, scope.requireResourceID(), scope.projection())
    }

    /// Logs, at debug level, the attributes a body named that no known schema defines: they were not stored
    /// (docs/IDP-BEHAVIOURS.md §6.9), and a misspelt attribute is worth seeing when an IdP's mapping looks wrong.
    func logIgnoredAttributes(_ names: [String], context: SCIMRequestContext) {
        guard !names.isEmpty else { return }
        context.logger.debug("Ignored attributes no schema defines", metadata: ["attributes": .string(names.joined(separator: ", "))])
    }

    /// The headers of a single-resource response: its weak `ETag`.
    static func resourceHeaders(_ resource: StoredResource) -> HTTPFields {
        var headers: HTTPFields = [:]
        headers[.eTag] = resource.etag
        return headers
    }
}
