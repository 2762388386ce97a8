import Hummingbird
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import Testing

/// The routes of the whole application as its router lists them (`Router.routes`), so that the security tests
/// cover every route that exists rather than a list that can fall behind: a route added later is checked too.
struct RouteTable: Sendable {
    /// One registered route: its method and its path template, such as `/settings/organization/dsync/teams/{slug}`.
    struct Route: Sendable, Hashable, CustomStringConvertible {
        /// The method.
        var method: HTTPRequest.Method
        /// The path template, with `{name}` for each parameter.
        var template: String

        /// `POST /settings/…`.
        var description: String { "\(method) \(template)" }
    }

    /// Every route.
    let routes: [Route]

    /// Where the settings pages live (`SettingsPaths.root`).
    static let settingsRoot = "/settings/organization/dsync"

    /// The routes of the router ``buildRouter(configuration:store:logger:requestLog:webhookTransport:webhookRetryWindow:metrics:)``
    /// builds with the settings tests' configuration.
    static func application() throws -> RouteTable {
        let router = buildRouter(configuration: settingsConfiguration(), store: try SQLiteStore.inMemory(), logger: testLogger())
        return RouteTable(routes: router.routes.map { Route(method: $0.method, template: $0.path.description) })
    }

    /// The routes whose template starts with `prefix` (a whole path segment), with one of `methods`; not a catch-all
    /// (`…/**`, which answers paths no route names, and which `SettingsPagesTests` and the SCIM tests cover).
    func routes(under prefix: String, methods: Set<HTTPRequest.Method>) -> [Route] {
        routes.filter {
            methods.contains($0.method) && ($0.template == prefix || $0.template.hasPrefix(prefix + "/"))
                && !$0.template.hasSuffix("/**")
        }
    }

    /// `template` with each `{name}` replaced by `parameters[name]`; records an issue and returns nil when a
    /// parameter has no value (a new route whose parameter a test does not know yet).
    static func path(
        _ template: String,
        _ parameters: [String: String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String? {
        var segments: [String] = []
        for segment in template.split(separator: "/", omittingEmptySubsequences: true) {
            guard segment.hasPrefix("{"), segment.hasSuffix("}") else {
                segments.append(String(segment))
                continue
            }
            let name = String(segment.dropFirst().dropLast())
            guard let value = parameters[name] else {
                Issue.record("No test value for the parameter {\(name)} of \(template): add one.", sourceLocation: sourceLocation)
                return nil
            }
            segments.append(value)
        }
        return "/" + segments.joined(separator: "/")
    }
}
