/// What an audit entry's action was done to.
public struct AuditTarget: Sendable, Hashable, Codable {
    /// The kind of thing: `directory`, `team`, `webhook`, `api_key` or `session`.
    public var kind: String
    /// Its id (a directory, team, endpoint or key id; empty for a sign-in).
    public var id: String
    /// Its name when it was acted on (a directory's or team's name, an endpoint's URL, a key's name).
    public var name: String

    /// Makes a target.
    public init(kind: String, id: String, name: String) {
        self.kind = kind
        self.id = id
        self.name = name
    }

    /// A directory.
    public static func directory(_ directory: Directory) -> AuditTarget {
        AuditTarget(kind: "directory", id: directory.id, name: directory.name)
    }

    /// A team.
    public static func team(_ team: Team) -> AuditTarget {
        AuditTarget(kind: "team", id: team.id, name: team.name)
    }

    /// A webhook endpoint, named by its URL.
    public static func webhook(_ endpoint: WebhookEndpoint) -> AuditTarget {
        AuditTarget(kind: "webhook", id: endpoint.id, name: endpoint.url)
    }

    /// A read-API key.
    public static func apiKey(_ key: APIKey) -> AuditTarget {
        AuditTarget(kind: "api_key", id: key.id, name: key.name)
    }

    /// An admin session (sign-in and sign-out), named by the admin's email.
    public static func session(email: String) -> AuditTarget {
        AuditTarget(kind: "session", id: "", name: email)
    }
}
