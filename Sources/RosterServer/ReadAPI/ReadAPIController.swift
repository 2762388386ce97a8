import Hummingbird
import RosterCore
import SCIM

/// The read API under `/api/v1`, for the application behind Roster: users, groups, teams and their members (with
/// manual additions and removals), and the ordered event feed. JSON in and out; every list is keyset-paginated
/// with `cursor` and `limit`. The OpenAPI document at `/api/v1/openapi.json` describes exactly these routes.
struct ReadAPIController<Store: RosterStorage>: Sendable {
    /// Everything stored.
    let store: Store

    /// The path prefix.
    static var prefix: String { "/api/v1" }
    /// Items per page when `limit` is absent.
    static var defaultLimit: Int { 100 }
    /// The largest `limit`.
    static var maximumLimit: Int { 1000 }

    /// Adds the routes: the OpenAPI document openly, the rest behind an API key.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(Self.prefix + "/openapi.json"), use: openAPIDocument)
        let api = router.group(RouterPath(Self.prefix)).add(middleware: APIErrorMiddleware()).add(middleware: APIKeyMiddleware(store: store))
        api.get("users", use: users)
        api.get("users/{id}", use: user)
        api.get("groups", use: groups)
        api.get("teams", use: teams)
        api.get("teams/{id}/members", use: teamMembers)
        api.post("teams/{id}/members", use: addTeamMember)
        api.delete("teams/{id}/members/{userId}", use: removeTeamMember)
        api.get("events", use: events)
        api.get("audit", use: audit)
    }

    /// Who the audit trail records for a change made through the API: the key the request presented.
    func actor(_ context: AppRequestContext) async throws -> AuditActor {
        let id = context.apiKeyID ?? ""
        let name = try await store.apiKeys().first { $0.id == id }?.name ?? id
        return .apiKey(id: id, name: name, address: context.clientAddress)
    }

    /// GET /api/v1/audit?actor=&action=&target_kind=&target=&cursor=&limit=: the audit trail, newest first;
    /// `next_cursor` continues with older entries.
    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryString(request.uri.query)
        let paging = try Paging(query)
        func parameter(_ name: String) -> String? { query.value(named: name).flatMap { $0.isEmpty ? nil : $0 } }
        let entries = try await store.auditEntries(
            AuditQuery(
                actor: parameter("actor"),
                action: parameter("action").map(AuditAction.init(rawValue:)),
                targetKind: parameter("target_kind"),
                target: parameter("target"),
                cursor: paging.cursor.map(AuditQuery.Cursor.before) ?? .newest,
                limit: paging.limit
            )
        )
        let nextCursor = entries.count == paging.limit ? entries.last?.id : nil
        return APIResponse.list(entries.map(\.jsonValue), nextCursor: nextCursor)
    }

    /// GET /api/v1/openapi.json.
    @Sendable func openAPIDocument(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = EmbeddedAssets.files["openapi.json"] ?? "{}"
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// GET /api/v1/users?email=&status=&team=&directory_id=&cursor=&limit=.
    @Sendable func users(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryString(request.uri.query)
        let paging = try Paging(query)
        var active: Bool?
        switch query.value(named: "status") {
        case nil, "": active = nil
        case "active": active = true
        case "deactivated", "inactive": active = false
        case let other?: return APIResponse.error(status: .badRequest, "status must be active or deactivated, not \"\(other)\"")
        }
        let filter = APIUserFilter(
            email: query.value(named: "email").flatMap { $0.isEmpty ? nil : $0 },
            active: active,
            team: query.value(named: "team").flatMap { $0.isEmpty ? nil : $0 },
            directoryID: query.value(named: "directory_id").flatMap { $0.isEmpty ? nil : $0 }
        )
        let page = try await store.apiUsers(filter: filter, after: paging.cursor, limit: paging.limit)
        return APIResponse.list(page.items.map(APIResponse.user), nextCursor: page.nextCursor)
    }

    /// GET /api/v1/users/{id}.
    @Sendable func user(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = try await store.apiUser(id: try context.parameters.require("id")) else {
            return APIResponse.error(status: .notFound, "No user with this id.")
        }
        return APIResponse.json(APIResponse.user(user))
    }

    /// GET /api/v1/groups?directory_id=&cursor=&limit=.
    @Sendable func groups(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryString(request.uri.query)
        let paging = try Paging(query)
        let directoryID = query.value(named: "directory_id").flatMap { $0.isEmpty ? nil : $0 }
        let page = try await store.apiGroups(directoryID: directoryID, after: paging.cursor, limit: paging.limit)
        return APIResponse.list(page.items.map(APIResponse.group), nextCursor: page.nextCursor)
    }

    /// GET /api/v1/teams.
    @Sendable func teams(_ request: Request, context: AppRequestContext) async throws -> Response {
        APIResponse.list(try await store.teamOverviews().map(APIResponse.team), nextCursor: nil)
    }

    /// GET /api/v1/teams/{id}/members?cursor=&limit=.
    @Sendable func teamMembers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let paging = try Paging(QueryString(request.uri.query))
        guard let page = try await store.apiTeamMembers(team: try context.parameters.require("id"), after: paging.cursor, limit: paging.limit) else {
            return APIResponse.error(status: .notFound, "No team with this id, slug or name.")
        }
        return APIResponse.list(page.items.map(APIResponse.teamPerson), nextCursor: page.nextCursor)
    }

    /// POST /api/v1/teams/{id}/members with `{"user_id": "…"}`: adds a manual member (201; 200 when already one).
    @Sendable func addTeamMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 65_536)
        guard let userID = (try? JSONParser().parse(Array(body.readableBytesView)))?.objectValue?["user_id"]?.stringValue else {
            return APIResponse.error(status: .badRequest, "The body must be a JSON object with a string user_id.")
        }
        let reference = try context.parameters.require("id")
        guard let team = try await store.team(reference) else { return APIResponse.error(status: .notFound, "No team with this id, slug or name.") }
        guard let user = try await store.apiUser(id: userID) else { return APIResponse.error(status: .notFound, "No user with this id.") }
        let added = try await store.addManualMember(team: team.id, directoryID: user.directoryID, userID: userID, by: try await actor(context))
        let updated = try await store.apiUser(id: userID) ?? user
        return APIResponse.json(APIResponse.user(updated), status: added ? .created : .ok)
    }

    /// DELETE /api/v1/teams/{id}/members/{userId}: removes a manual membership (204; 404 when there is none).
    @Sendable func removeTeamMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let reference = try context.parameters.require("id")
        let userID = try context.parameters.require("userId")
        guard try await store.removeManualMember(team: reference, userID: userID, by: try await actor(context)) else {
            return APIResponse.error(status: .notFound, "This user is not a manual member of this team (group memberships follow the groups).")
        }
        return Response(status: .noContent)
    }

    /// GET /api/v1/events?after=SEQ&limit=: the ordered feed; `next_after` is where to continue.
    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryString(request.uri.query)
        let paging = try Paging(query)
        var after: Int64 = 0
        if let text = query.value(named: "after"), !text.isEmpty {
            guard let value = Int64(text), value >= 0 else {
                return APIResponse.error(status: .badRequest, "after must be an event sequence number.")
            }
            after = value
        }
        let events = try await store.events(after: after, limit: paging.limit)
        return APIResponse.json(
            .object(
                JSONObject([
                    ("data", .array(events.map(\.document))),
                    ("next_after", .string(String(events.last?.sequence ?? after))),
                ])
            )
        )
    }

    /// `cursor` and `limit` of a list request.
    struct Paging {
        /// The row to continue after.
        var cursor: Int64?
        /// How many items.
        var limit: Int

        /// Reads and checks the parameters; bad ones are a 400.
        init(_ query: QueryString) throws {
            limit = ReadAPIController.defaultLimit
            if let text = query.value(named: "limit"), !text.isEmpty {
                guard let value = Int(text), (1...ReadAPIController.maximumLimit).contains(value) else {
                    throw HTTPError(.badRequest, message: "limit must be a number from 1 to \(ReadAPIController.maximumLimit).")
                }
                limit = value
            }
            if let text = query.value(named: "cursor"), !text.isEmpty {
                guard let value = Int64(text), value >= 0 else { throw HTTPError(.badRequest, message: "cursor is not one this API gave out.") }
                cursor = value
            }
        }
    }
}
