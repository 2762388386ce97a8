import Hummingbird
import RosterCore
import SCIM

extension SCIMController {
    /// `POST /.search` (RFC 7644 §3.4.3): a search across Users, then Groups. The positions of the combined list
    /// are the users' followed by the groups', so `startIndex`/`count` page across both: the handler counts each
    /// kind and asks the store for just the slices that fall on the requested page.
    func searchAll(request: Request, context: SCIMRequestContext) async throws -> Response {
        let scope = try RequestScope(request: request, context: context)
        let body = try await readJSONBody(request)
        let query = try ListQuery(searchRequest: body, defaultCount: configuration.defaultPageSize, maximumCount: configuration.maxPageSize)
        for kind in ResourceKind.allCases {
            try query.filter?.validate(for: kind.schema)
        }
        var totalResults = 0
        var resources: [StoredResource] = []
        var offset = 0  // how many positions the kinds before this one take up
        for kind in ResourceKind.allCases {
            let total = try await store.count(kind, directoryID: scope.directoryID, query: query)
            defer {
                offset += total
                totalResults += total
            }
            let remaining = query.count - resources.count
            let start = max(1, query.startIndex - offset)
            guard remaining > 0, start <= total else { continue }
            var slice = query
            slice.startIndex = start
            slice.count = min(remaining, total - start + 1)
            let includeDerived = query.projection.includes(kind.derivedAttribute, schema: kind.schema)
            let page = try await store.list(kind, directoryID: scope.directoryID, query: slice, includeDerived: includeDerived)
            resources += page.resources
        }
        return listResponse(totalResults: totalResults, startIndex: query.startIndex, resources: resources, projection: query.projection)
    }
}
