import Hummingbird
import Logging
import RosterCore
import SCIM

/// The SCIM 2.0 endpoints of every directory, under `/api/scim/v2.0/{directoryId}`: Users, Groups, `.search`,
/// the discovery documents, and `/Bulk` (501). Authentication and the SCIM form of errors are the middlewares'
/// job (``SCIMRequestMiddleware``); the handlers assume an authenticated
/// directory and throw ``SCIMError``.
public struct SCIMController<Store: RosterStore>: Sendable {
    /// Where resources live.
    let store: Store
    /// Base URL, page sizes and body limit.
    let configuration: ServerConfiguration

    /// The methods a route can answer; any of them a route does not support gets 405.
    static var routedMethods: [HTTPRequest.Method] { [.get, .post, .put, .patch, .delete] }

    /// Makes a controller.
    public init(store: Store, configuration: ServerConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// Every SCIM route below a directory (`{directoryId}`), each method of each path with its operation and
    /// handler: the handlers, a 405 for each routed method a path does not support (answered without reading the
    /// body), and the unknown path's 404 for `HEAD` and `OPTIONS` and for paths no route names.
    public func routes() -> [SCIMRoute] {
        var routes: [SCIMRoute] = []
        func add(_ path: RouterPath, _ handlers: [HTTPRequest.Method: (SCIMOperation, SCIMRoute.Handler)]) {
            let allow = SCIMController.routedMethods.filter { handlers[$0] != nil }.map(\.rawValue).joined(separator: ", ")
            for method in SCIMRoute.answeredMethods {
                if let (operation, handler) = handlers[method] {
                    routes.append(SCIMRoute(path: path, method: method, operation: operation, handler: handler))
                } else if SCIMController.routedMethods.contains(method) {
                    routes.append(
                        SCIMRoute(path: path, method: method, operation: .other) { request, _ in
                            SCIMController.methodNotAllowed(request: request, allow: allow)
                        }
                    )
                } else {
                    routes.append(SCIMRoute(path: path, method: method, operation: .other, handler: SCIMRoute.unknownPath))
                }
            }
        }
        for kind in ResourceKind.allCases {
            let endpoint = RouterPath(kind.endpoint)
            add(
                endpoint,
                [
                    .get: (.collection(kind, .get), { try await self.list(kind, request: $0, context: $1) }),
                    .post: (.collection(kind, .post), { try await self.create(kind, request: $0, context: $1) }),
                ]
            )
            add(endpoint.appendingPath(".search"), [.post: (.search(kind), { try await self.search(kind, request: $0, context: $1) })])
            add(
                endpoint.appendingPath("{id}"),
                [
                    .get: (.item(kind, .get), { try await self.get(kind, request: $0, context: $1) }),
                    .put: (.item(kind, .put), { try await self.replace(kind, request: $0, context: $1) }),
                    .patch: (.item(kind, .patch), { try await self.patch(kind, request: $0, context: $1) }),
                    .delete: (.item(kind, .delete), { try await self.delete(kind, request: $0, context: $1) }),
                ]
            )
        }
        add(".search", [.post: (.searchAll, { try await self.searchAll(request: $0, context: $1) })])
        add("ServiceProviderConfig", [.get: (.discovery, { try await self.serviceProviderConfig(request: $0, context: $1) })])
        add("ResourceTypes", [.get: (.discovery, { try await self.resourceTypes(request: $0, context: $1) })])
        add("ResourceTypes/{id}", [.get: (.discovery, { try await self.resourceType(request: $0, context: $1) })])
        add("Schemas", [.get: (.discovery, { try await self.schemas(request: $0, context: $1) })])
        add("Schemas/{id}", [.get: (.discovery, { try await self.schema(request: $0, context: $1) })])
        for method in SCIMRoute.answeredMethods {
            routes.append(SCIMRoute(path: "Bulk", method: method, operation: .other) { try await self.bulk(request: $0, context: $1) })
            routes.append(SCIMRoute(path: "", method: method, operation: method == .get ? .root : .other, handler: SCIMRoute.unknownPath))
            routes.append(SCIMRoute(path: "**", method: method, operation: .other, handler: SCIMRoute.unknownPath))
        }
        return routes
    }

    /// The 405 for a method a route does not support (RFC 7644 §3.12), decided before the body is read: Okta's
    /// SPEC test POSTs `test` to the discovery endpoints and expects 405, not a JSON parse error.
    static func methodNotAllowed(request: Request, allow: String) -> Response {
        let error = SCIMError(status: 405, detail: "\(request.method) is not supported here; use \(allow).")
        return SCIMResponse.error(error, allow: allow)
    }

    // MARK: Shared steps

    /// Appends a resource's representation with `projection` applied to `output`: spliced from its stored document
    /// when the projection is the default one (``StoredResource/writeDefaultRepresentation(baseURL:to:)``), rendered
    /// and projected otherwise.
    func write(_ resource: StoredResource, projection: AttributeProjection, to output: inout [UInt8]) {
        if projection.isDefault {
            resource.writeDefaultRepresentation(baseURL: configuration.baseURL, to: &output)
        } else {
            let representation = resource.representation(baseURL: configuration.baseURL)
            JSONValue.object(projection.apply(to: representation, schema: resource.kind.schema)).write(to: &output)
        }
    }

    /// A response with one resource, with `projection` applied, its `ETag` (``resourceHeaders(_:)``) and, when
    /// given, `Location`.
    func resourceResponse(
        _ resource: StoredResource,
        projection: AttributeProjection,
        status: HTTPResponse.Status = .ok,
        location: String? = nil
    ) -> Response {
        var headers = SCIMController.resourceHeaders(resource)
        if let location { headers[.location] = location }
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        write(resource, projection: projection, to: &output)
        return SCIMResponse.json(bytes: output, status: status, headers: headers)
    }

    /// A ListResponse of `resources`, with `projection` applied.
    func listResponse(totalResults: Int, startIndex: Int, resources: [StoredResource], projection: AttributeProjection) -> Response {
        var output: [UInt8] = []
        output.reserveCapacity(256 + resources.count * 768)
        ListResponse.write(totalResults: totalResults, startIndex: startIndex, count: resources.count, to: &output) { position, output in
            write(resources[position], projection: projection, to: &output)
        }
        return SCIMResponse.json(bytes: output)
    }

    /// The request body as JSON, whatever its `Content-Type` (Okta's SPEC test sends none): 413 over the limit,
    /// 400 `invalidSyntax` when empty or malformed.
    func readJSONBody(_ request: Request) async throws -> JSONValue {
        let limit = configuration.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw SCIMError(status: 413, detail: "The request body is larger than the limit of \(limit) bytes.")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw SCIMError(status: 413, detail: "The request body is larger than the limit of \(limit) bytes.")
        }
        let bytes = Array(buffer.readableBytesView)
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
            throw SCIMError.invalidSyntax("The request body is empty; a JSON object is required.")
        }
        do {
            return try JSONParser().parse(bytes)
        } catch {
            throw SCIMError.invalidSyntax("The request body is not valid JSON: \(error).")
        }
    }
}
