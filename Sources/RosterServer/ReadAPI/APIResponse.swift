import Hummingbird
import RosterCore
import SCIM

/// The read API's JSON answers: documents, lists with a cursor, and `{"error": {"status", "message"}}`.
enum APIResponse {
    /// A JSON document.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized()))
        )
    }

    /// An error document.
    static func error(status: HTTPResponse.Status, _ message: String) -> Response {
        let error = JSONObject([("status", .number(JSONNumber(status.code))), ("message", .string(message))])
        return json(.object(JSONObject([("error", .object(error))])), status: status)
    }

    /// The 503 error document for a store that cannot be reached, with `Retry-After`; the reason, which names the
    /// database server, is not shown.
    static func unavailable(_ error: StoreUnavailable) -> Response {
        let seconds = max(1, error.retryAfterSeconds)
        var response = self.error(status: .serviceUnavailable, "The store is unavailable for a moment. Retry after \(seconds) seconds.")
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    /// `{"data": [...], "next_cursor": "…" | null}`.
    static func list(_ items: [JSONValue], nextCursor: Int64?) -> Response {
        json(.object(JSONObject([("data", .array(items)), ("next_cursor", nextCursor.map { .string(String($0)) } ?? .null)])))
    }

    /// A user.
    static func user(_ user: APIUser) -> JSONValue {
        .object(
            JSONObject([
                ("id", .string(user.id)),
                ("directory_id", .string(user.directoryID)),
                ("user_name", .string(user.userName)),
                ("active", .bool(user.active)),
                ("teams", .array(user.teams.map { membership(in: $0, user.membership) })),
                ("created_at", .string(SCIMDateTime.format(millisecondsSince1970: user.createdAt))),
                ("updated_at", .string(SCIMDateTime.format(millisecondsSince1970: user.modifiedAt))),
                ("attributes", .object(user.attributes)),
            ])
        )
    }

    /// A group.
    static func group(_ group: APIGroup) -> JSONValue {
        .object(
            JSONObject([
                ("id", .string(group.id)),
                ("directory_id", .string(group.directoryID)),
                ("display_name", .string(group.displayName)),
                ("member_count", .number(JSONNumber(group.memberCount))),
                ("created_at", .string(SCIMDateTime.format(millisecondsSince1970: group.createdAt))),
                ("updated_at", .string(SCIMDateTime.format(millisecondsSince1970: group.modifiedAt))),
            ])
        )
    }

    /// A team reference.
    static func team(_ team: Team) -> JSONValue {
        .object(JSONObject([("id", .string(team.id)), ("name", .string(team.name)), ("slug", .string(team.slug))]))
    }

    /// A team reference with the status of a user's membership of it.
    static func membership(in team: Team, _ status: TeamMembershipStatus) -> JSONValue {
        guard case .object(var object) = self.team(team) else { return .null }
        object["membership"] = .string(status.rawValue)
        return .object(object)
    }

    /// A person in a team: their email, the status of their membership, and each of their users with its status and
    /// sources.
    static func teamPerson(_ person: APITeamPerson) -> JSONValue {
        .object(
            JSONObject([
                ("email", person.email.map(JSONValue.string) ?? .null),
                ("membership", .string(person.membership.rawValue)),
                (
                    "users",
                    .array(
                        person.members.map { member in
                            guard case .object(var object) = user(member.user) else { return .null }
                            object["membership"] = .string(member.user.membership.rawValue)
                            object["sources"] = .array(member.sources.map(source))
                            return .object(object)
                        }
                    )
                ),
            ])
        )
    }

    /// `{"type": "group", "group_id", "group_name"}` or `{"type": "manual"}`.
    static func source(_ source: TeamMembershipSource) -> JSONValue {
        switch source {
        case .manual:
            return .object(JSONObject([("type", .string("manual"))]))
        case .group(let id, let displayName):
            return .object(JSONObject([("type", .string("group")), ("group_id", .string(id)), ("group_name", .string(displayName))]))
        }
    }

    /// A team with its group names and size.
    static func team(_ overview: TeamOverview) -> JSONValue {
        guard case .object(var object) = team(overview.team) else { return .null }
        object["group_names"] = .array(overview.groupNames.map(JSONValue.string))
        object["member_count"] = .number(JSONNumber(overview.memberCount))
        object["suspended_count"] = .number(JSONNumber(overview.suspendedCount))
        object["created_at"] = .string(SCIMDateTime.format(millisecondsSince1970: overview.team.createdAt))
        return .object(object)
    }
}
