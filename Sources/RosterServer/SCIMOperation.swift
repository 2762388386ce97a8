import Hummingbird
import RosterCore
import SCIM

/// What a SCIM request does, named as the metrics label `operation` (`list_users`, `patch_group`, `discovery`, …).
public struct SCIMOperation: Sendable, Hashable, CustomStringConvertible {
    /// The label.
    public let description: String

    /// A request no route names (an unknown path under the prefix).
    public static let other = SCIMOperation(description: "other")
    /// `POST /.search`.
    public static let searchAll = SCIMOperation(description: "search")
    /// The discovery documents.
    public static let discovery = SCIMOperation(description: "discovery")
    /// `GET` on a directory's SCIM Base URL itself.
    public static let root = SCIMOperation(description: "root")

    private init(description: String) {
        self.description = description
    }

    /// The operation of `method` on the collection of `kind` (`GET` lists, `POST` creates).
    static func collection(_ kind: ResourceKind, _ method: HTTPRequest.Method) -> SCIMOperation {
        switch method {
        case .get: SCIMOperation(description: "list_\(kind.label)s")
        case .post: SCIMOperation(description: "create_\(kind.label)")
        default: .other
        }
    }

    /// The operation of `method` on one resource of `kind`.
    static func item(_ kind: ResourceKind, _ method: HTTPRequest.Method) -> SCIMOperation {
        switch method {
        case .get: SCIMOperation(description: "get_\(kind.label)")
        case .put: SCIMOperation(description: "replace_\(kind.label)")
        case .patch: SCIMOperation(description: "patch_\(kind.label)")
        case .delete: SCIMOperation(description: "delete_\(kind.label)")
        default: .other
        }
    }

    /// `POST /Users/.search`, `POST /Groups/.search`.
    static func search(_ kind: ResourceKind) -> SCIMOperation {
        SCIMOperation(description: "search_\(kind.label)s")
    }
}

extension ResourceKind {
    /// The kind's name in operation labels.
    fileprivate var label: String {
        switch self {
        case .user: "user"
        case .group: "group"
        }
    }
}

/// The operation of every SCIM route, by the route's path as Hummingbird reports the matched one
/// (`RequestContext.endpointPath`) and the method: filled as the routes are added, read by
/// ``SCIMRequestMiddleware`` for each request with one dictionary lookup instead of taking the path apart.
public struct SCIMOperationTable: Sendable {
    private struct Key: Hashable {
        var endpointPath: String
        var method: HTTPRequest.Method
    }

    private var operations: [Key: SCIMOperation] = [:]

    /// The table of `routes`, added to a group whose path is `base`.
    public init(_ routes: [SCIMRoute], base: RouterPath) {
        for route in routes {
            operations[Key(endpointPath: base.appendingPath(route.path).description, method: route.method)] = route.operation
        }
    }

    /// The operation of a request that matched the route `endpointPath` with `method`; ``SCIMOperation/other`` for
    /// a route not in the table (the catch-all of unknown paths).
    public func operation(endpointPath: String?, method: HTTPRequest.Method) -> SCIMOperation {
        guard let endpointPath else { return .other }
        return operations[Key(endpointPath: endpointPath, method: method)] ?? .other
    }
}

/// One method of one SCIM route below a directory: its path, what it does, and its handler.
public struct SCIMRoute: Sendable {
    /// A handler of a SCIM route.
    public typealias Handler = @Sendable (Request, SCIMRequestContext) async throws -> Response

    /// The path below `{directoryId}`.
    public var path: RouterPath
    /// The method.
    public var method: HTTPRequest.Method
    /// What the route does, the metrics label.
    public var operation: SCIMOperation
    /// The handler.
    public var handler: Handler

    /// Every method a SCIM path answers in SCIM form: the routed ones (GET, POST, PUT, PATCH, DELETE), and `HEAD`
    /// and `OPTIONS` (404, as on an unknown path). Hummingbird answers any other method itself, unauthenticated and
    /// without a body.
    public static var answeredMethods: [HTTPRequest.Method] { [.get, .post, .put, .patch, .delete, .head, .options] }

    /// The 404 of a path under the SCIM prefix that no route names.
    @Sendable public static func unknownPath(request: Request, context: SCIMRequestContext) throws -> Response {
        throw SCIMError.notFound("No SCIM endpoint at \(request.method) \(request.uri.path).")
    }

    /// Makes a route.
    public init(path: RouterPath, method: HTTPRequest.Method, operation: SCIMOperation, handler: @escaping Handler) {
        self.path = path
        self.method = method
        self.operation = operation
        self.handler = handler
    }
}
