import RosterTestSupport
import SCIM

/// The request bodies Okta sends (docs/IDP-BEHAVIOURS.md §1.5, §1.6, §1.7, §1.10, §1.11), built as JSON values so
/// that any string, quotes and angle brackets included, can be pushed the way Okta would push it.
enum OktaBodies {
    /// The User core schema URN.
    static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    /// The Group core schema URN.
    static let groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"
    /// The PatchOp message URN.
    static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    /// One of Okta's user profiles.
    struct User: Sendable {
        /// `userName`.
        var userName: String
        /// `name.givenName`.
        var givenName: String
        /// `name.familyName`.
        var familyName: String
        /// The primary work email.
        var email: String
        /// `displayName`; Okta leaves it out when the profile has none.
        var displayName: String?
        /// `externalId`, Okta's own user id.
        var externalId: String
    }

    /// `POST /Users` (and, with `id`, the `PUT` of a profile update): the profile with Okta's password, locale and
    /// empty `groups`.
    static func user(_ user: User, id: String? = nil, active: Bool = true) -> String {
        var body: JSONObject = JSONObject()
        body["schemas"] = [.string(userSchema)]
        if let id { body["id"] = .string(id) }
        body["userName"] = .string(user.userName)
        body["name"] = ["givenName": .string(user.givenName), "familyName": .string(user.familyName)]
        body["emails"] = [["primary": true, "value": .string(user.email), "type": "work"]]
        if let displayName = user.displayName { body["displayName"] = .string(displayName) }
        body["locale"] = "en-US"
        body["externalId"] = .string(user.externalId)
        body["groups"] = []
        body["password"] = "1mz050nq"
        body["active"] = .bool(active)
        return JSONValue.object(body).serialized()
    }

    /// `POST /Groups` (and, with `id`, the `PUT` of a group push): the name and the members with their `display`.
    static func group(displayName: String, members: [(id: String, display: String)], id: String? = nil) -> String {
        var body: JSONObject = JSONObject()
        body["schemas"] = [.string(groupSchema)]
        if let id { body["id"] = .string(id) }
        body["displayName"] = .string(displayName)
        body["members"] = memberList(members)
        return JSONValue.object(body).serialized()
    }

    /// A PATCH of `operations`.
    static func patch(_ operations: [JSONValue]) -> String {
        JSONValue.object(JSONObject([("schemas", [.string(patchOp)]), ("Operations", .array(operations))])).serialized()
    }

    /// Okta's `add members` operation.
    static func addMembers(_ members: [(id: String, display: String)]) -> JSONValue {
        ["op": "add", "path": "members", "value": memberList(members)]
    }

    /// Okta's Push-now `replace members` operation.
    static func replaceMembers(_ members: [(id: String, display: String)]) -> JSONValue {
        ["op": "replace", "path": "members", "value": memberList(members)]
    }

    /// Okta's rename: a no-path `replace` carrying the group's id and new name.
    static func rename(groupID: String, to displayName: String) -> JSONValue {
        ["op": "replace", "value": ["id": .string(groupID), "displayName": .string(displayName)]]
    }

    /// Okta's deactivate (OIN): a no-path `replace` of `active`.
    static let deactivate: JSONValue = ["op": "replace", "value": ["active": false]]

    /// A `members` value.
    private static func memberList(_ members: [(id: String, display: String)]) -> JSONValue {
        .array(members.map { ["value": .string($0.id), "display": .string($0.display)] })
    }
}
