/// The entry each recorded action makes: which values it keeps is decided here once, for both stores and every
/// caller. No secret is ever among them: tokens, keys and signing secrets are recorded as `"issued"` or `"rotated"`.
extension AuditEntry {
    /// A directory was created, with a new SCIM token.
    public static func directoryCreated(_ directory: Directory, by actor: AuditActor) -> AuditEntry {
        AuditEntry(
            actor: actor,
            action: .directoryCreated,
            target: .directory(directory),
            after: ["name": directory.name, "provider": directory.provider.rawValue, "token": "issued"]
        )
    }

    /// A directory's SCIM token was replaced.
    public static func directoryTokenRotated(_ directory: Directory, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .directoryTokenRotated, target: .directory(directory), after: ["token": "rotated"])
    }

    /// A directory was deleted, with its users and groups.
    public static func directoryDeleted(_ directory: Directory, by actor: AuditActor) -> AuditEntry {
        AuditEntry(
            actor: actor,
            action: .directoryDeleted,
            target: .directory(directory),
            before: ["name": directory.name, "provider": directory.provider.rawValue]
        )
    }

    /// A team was created.
    public static func teamCreated(_ team: Team, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .teamCreated, target: .team(team), after: ["name": team.name, "slug": team.slug])
    }

    /// A team was renamed from `previousName`; nil when the name did not change (nothing to record).
    public static func teamRenamed(_ team: Team, from previousName: String, by actor: AuditActor) -> AuditEntry? {
        guard previousName != team.name else { return nil }
        return AuditEntry(actor: actor, action: .teamRenamed, target: .team(team), before: ["name": previousName], after: ["name": team.name])
    }

    /// A team was deleted.
    public static func teamDeleted(_ team: Team, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .teamDeleted, target: .team(team), before: ["name": team.name, "slug": team.slug])
    }

    /// `groupName` was mapped to `team` (from one directory, or every directory when `directoryID` is nil).
    public static func groupMapped(_ team: Team, groupName: String, directoryID: String?, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .groupMapped, target: .team(team), after: mappingValues(groupName, directoryID))
    }

    /// `groupName` was unmapped from `team`.
    public static func groupUnmapped(_ team: Team, groupName: String, directoryID: String?, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .groupUnmapped, target: .team(team), before: mappingValues(groupName, directoryID))
    }

    /// A person was added to `team` by hand.
    public static func memberAdded(_ team: Team, user: UserIdentity, directoryID: String, by actor: AuditActor) -> AuditEntry {
        AuditEntry(
            actor: actor,
            action: .memberAdded,
            target: .team(team),
            after: ["user_id": user.id, "user_name": user.userName, "directory": directoryID]
        )
    }

    /// A person added by hand was removed from `team`.
    public static func memberRemoved(_ team: Team, user: UserIdentity, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .memberRemoved, target: .team(team), before: ["user_id": user.id, "user_name": user.userName])
    }

    /// A webhook endpoint was created, with a new signing secret.
    public static func webhookCreated(_ endpoint: WebhookEndpoint, by actor: AuditActor) -> AuditEntry {
        var values = webhookValues(endpoint)
        values["secret"] = "issued"
        return AuditEntry(actor: actor, action: .webhookCreated, target: .webhook(endpoint), after: values)
    }

    /// A webhook endpoint changed from `previous` to `endpoint`; only the values that changed are kept, and nil when
    /// none did (nothing to record).
    public static func webhookChanged(_ endpoint: WebhookEndpoint, from previous: WebhookEndpoint, by actor: AuditActor) -> AuditEntry? {
        let old = webhookValues(previous)
        let new = webhookValues(endpoint)
        let changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }
        guard !changed.isEmpty else { return nil }
        return AuditEntry(
            actor: actor,
            action: .webhookChanged,
            target: .webhook(endpoint),
            before: old.filter { changed.contains($0.key) },
            after: new.filter { changed.contains($0.key) }
        )
    }

    /// A webhook endpoint's signing secret was rotated.
    public static func webhookSecretRotated(_ endpoint: WebhookEndpoint, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .webhookSecretRotated, target: .webhook(endpoint), after: ["secret": "rotated"])
    }

    /// A webhook endpoint was deleted.
    public static func webhookDeleted(_ endpoint: WebhookEndpoint, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .webhookDeleted, target: .webhook(endpoint), before: webhookValues(endpoint))
    }

    /// A test event was sent to a webhook endpoint; `result` says how it went (`HTTP 200`, `connection refused`).
    public static func webhookTestSent(_ endpoint: WebhookEndpoint, result: String, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .webhookTestSent, target: .webhook(endpoint), after: ["result": result])
    }

    /// The delivery of event `sequence` to a webhook endpoint was queued again.
    public static func webhookRedelivered(_ endpoint: WebhookEndpoint, sequence: Int64, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .webhookRedelivered, target: .webhook(endpoint), after: ["event_sequence": String(sequence)])
    }

    /// A read-API key was created (the key itself recorded only as issued).
    public static func apiKeyCreated(_ key: APIKey, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .apiKeyCreated, target: .apiKey(key), after: ["name": key.name, "key": "issued"])
    }

    /// A read-API key was revoked.
    public static func apiKeyRevoked(_ key: APIKey, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .apiKeyRevoked, target: .apiKey(key), before: ["name": key.name])
    }

    /// An admin signed in with `method`.
    public static func signedIn(email: String, method: SignInMethod, address: String?) -> AuditEntry {
        AuditEntry(
            actor: .admin(email: email, address: address),
            action: .signedIn,
            target: .session(email: email),
            after: ["method": method.rawValue]
        )
    }

    /// `actor` issued a one-time sign-in link for `email`. The link is recorded only as `"issued"`: only its holder
    /// may use it.
    public static func signInLinkIssued(email: String, by actor: AuditActor) -> AuditEntry {
        AuditEntry(actor: actor, action: .signInLinkIssued, target: .session(email: email), after: ["link": "issued"])
    }

    /// A sign-in with `method` was refused for `reason` (a stable code such as `not_admin` or `expired_link`). The
    /// email is the one the attempt claimed when one is known (an IdP's assertion for a non-admin), else `unknown`.
    public static func signInFailed(email: String?, method: SignInMethod, reason: String, address: String?) -> AuditEntry {
        let name = email ?? "unknown"
        return AuditEntry(
            actor: .admin(email: name, address: address),
            action: .signInFailed,
            target: .session(email: name),
            after: ["method": method.rawValue, "reason": reason]
        )
    }

    /// An admin signed out.
    public static func signedOut(email: String, address: String?) -> AuditEntry {
        AuditEntry(actor: .admin(email: email, address: address), action: .signedOut, target: .session(email: email))
    }

    private static func mappingValues(_ groupName: String, _ directoryID: String?) -> [String: String] {
        ["group_name": groupName, "directory": directoryID ?? "every directory"]
    }

    private static func webhookValues(_ endpoint: WebhookEndpoint) -> [String: String] {
        [
            "url": endpoint.url,
            "event_types": endpoint.eventTypes.isEmpty ? "every event" : endpoint.eventTypes.joined(separator: ", "),
            "enabled": endpoint.enabled ? "yes" : "no",
        ]
    }
}
