/// What an audit entry records, named `area.verb` (`team.renamed`). The list here is every action Roster records.
public struct AuditAction: RawRepresentable, Sendable, Hashable, Codable, Comparable {
    /// The stored name.
    public var rawValue: String

    /// Makes an action from its stored name.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Orders by name, for lists shown to people.
    public static func < (lhs: AuditAction, rhs: AuditAction) -> Bool { lhs.rawValue < rhs.rawValue }

    /// A one-time sign-in link was issued for an admin's email (`roster login-link`, or `roster serve` before any
    /// admin has signed in); never the link itself.
    public static let signInLinkIssued = AuditAction(rawValue: "admin.sign_in_link_issued")
    /// An admin signed in (the method in `after`).
    public static let signedIn = AuditAction(rawValue: "admin.signed_in")
    /// A sign-in was refused (the method and the reason in `after`; never the link, code or assertion).
    public static let signInFailed = AuditAction(rawValue: "admin.sign_in_failed")
    /// An admin signed out.
    public static let signedOut = AuditAction(rawValue: "admin.signed_out")
    /// A directory was created (its SCIM token recorded only as issued).
    public static let directoryCreated = AuditAction(rawValue: "directory.created")
    /// A directory's SCIM token was replaced.
    public static let directoryTokenRotated = AuditAction(rawValue: "directory.token_rotated")
    /// A directory was deleted with everything in it.
    public static let directoryDeleted = AuditAction(rawValue: "directory.deleted")
    /// A team was created.
    public static let teamCreated = AuditAction(rawValue: "team.created")
    /// A team was renamed.
    public static let teamRenamed = AuditAction(rawValue: "team.renamed")
    /// A team was deleted.
    public static let teamDeleted = AuditAction(rawValue: "team.deleted")
    /// A group name was mapped to a team.
    public static let groupMapped = AuditAction(rawValue: "team.group_mapped")
    /// A group name was unmapped from a team.
    public static let groupUnmapped = AuditAction(rawValue: "team.group_unmapped")
    /// A person was added to a team by hand.
    public static let memberAdded = AuditAction(rawValue: "team.member_added")
    /// A person added by hand was removed from a team.
    public static let memberRemoved = AuditAction(rawValue: "team.member_removed")
    /// A webhook endpoint was created.
    public static let webhookCreated = AuditAction(rawValue: "webhook.created")
    /// A webhook endpoint's URL, event types or state changed.
    public static let webhookChanged = AuditAction(rawValue: "webhook.changed")
    /// A webhook endpoint's signing secret was rotated.
    public static let webhookSecretRotated = AuditAction(rawValue: "webhook.secret_rotated")
    /// A webhook endpoint was deleted.
    public static let webhookDeleted = AuditAction(rawValue: "webhook.deleted")
    /// A test event was sent to a webhook endpoint.
    public static let webhookTestSent = AuditAction(rawValue: "webhook.test_sent")
    /// A delivery was queued again.
    public static let webhookRedelivered = AuditAction(rawValue: "webhook.redelivered")
    /// A read-API key was created.
    public static let apiKeyCreated = AuditAction(rawValue: "api_key.created")
    /// A read-API key was revoked.
    public static let apiKeyRevoked = AuditAction(rawValue: "api_key.revoked")

    /// Every action Roster records, for the audit page's filter.
    public static let all: [AuditAction] = [
        .signInLinkIssued, .signedIn, .signInFailed, .signedOut, .directoryCreated, .directoryTokenRotated, .directoryDeleted, .teamCreated,
        .teamRenamed, .teamDeleted, .groupMapped, .groupUnmapped, .memberAdded, .memberRemoved, .webhookCreated,
        .webhookChanged, .webhookSecretRotated, .webhookDeleted, .webhookTestSent, .webhookRedelivered, .apiKeyCreated,
        .apiKeyRevoked,
    ]
}
