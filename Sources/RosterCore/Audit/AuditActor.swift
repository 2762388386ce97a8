/// Who did something an audit entry records, and from where.
public struct AuditActor: Sendable, Hashable, Codable {
    /// What kind of actor: an admin in a browser, the command line, or a read-API key.
    public struct Kind: RawRepresentable, Sendable, Hashable, Codable {
        /// The stored name.
        public var rawValue: String

        /// Makes a kind from its stored name.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// An admin signed in to the settings pages (or trying to sign in); the name is their email.
        public static let admin = Kind(rawValue: "admin")
        /// `roster` on the command line; the name is `cli`, the detail the operating-system user.
        public static let commandLine = Kind(rawValue: "cli")
        /// A read-API key; the name is the key's name, the detail its id.
        public static let apiKey = Kind(rawValue: "api_key")
    }

    /// What kind of actor.
    public var kind: Kind
    /// The actor as the log shows it and filters it: an admin's email, `cli`, or an API key's name.
    public var name: String
    /// More about the actor: the operating-system user for `cli`, the key's id for an API key.
    public var detail: String?
    /// The client's address (after trusted proxies), for requests; nil on the command line.
    public var address: String?

    /// Makes an actor.
    public init(kind: Kind, name: String, detail: String? = nil, address: String? = nil) {
        self.kind = kind
        self.name = name
        self.detail = detail
        self.address = address
    }

    /// A signed-in admin (or one who tried to sign in) at `address`.
    public static func admin(email: String, address: String?) -> AuditActor {
        AuditActor(kind: .admin, name: email, address: address)
    }

    /// The command line, run by the operating-system user `user`.
    public static func commandLine(user: String) -> AuditActor {
        AuditActor(kind: .commandLine, name: "cli", detail: user)
    }

    /// The read-API key `name` (id `id`) at `address`.
    public static func apiKey(id: String, name: String, address: String?) -> AuditActor {
        AuditActor(kind: .apiKey, name: name, detail: id, address: address)
    }
}
