/// Teams, group-to-team mappings, team memberships and the event outbox. Every change here runs in one transaction
/// with the membership changes and events it causes, and with its audit entry (each change takes the ``AuditActor``
/// who made it; a change that changes nothing records nothing).
public protocol TeamStore: Sendable {
    /// Creates a team; the slug defaults to one made from the name and must be unique.
    func createTeam(name: String, slug: String?, by actor: AuditActor) async throws -> Team
    /// Every team, by name.
    func teams() async throws -> [Team]
    /// The team whose id, slug or name is `reference` (``TeamReference``: id, then slug, then name); a
    /// ``TeamError`` when a name is shared by several teams. Every other method taking a team `reference` reads it
    /// the same way.
    func team(_ reference: String) async throws -> Team?
    /// Renames a team (its slug stays).
    func renameTeam(_ reference: String, to name: String, by actor: AuditActor) async throws -> Team
    /// Deletes a team with its mappings and memberships.
    func deleteTeam(_ reference: String, by actor: AuditActor) async throws
    /// Maps a group name to a team and back-fills the team from the current members of the groups of that name at once.
    func map(team reference: String, groupName: String, directoryID: String?, by actor: AuditActor) async throws -> TeamMappingOutcome
    /// Removes a mapping and the memberships it sourced.
    func unmap(team reference: String, groupName: String, directoryID: String?, by actor: AuditActor) async throws
    /// The mappings, of one team or of all.
    func mappings(team reference: String?) async throws -> [TeamMapping]
    /// A team's members with their sources, inactive (suspended) ones included and marked.
    func teamMembers(_ reference: String) async throws -> [TeamMember]
    /// Adds a user to a team by hand; false when they already were a manual member.
    @discardableResult
    func addManualMember(team reference: String, directoryID: String, userID: String, by actor: AuditActor) async throws -> Bool
    /// Events after `sequence`, oldest first, at most `limit`.
    func events(after sequence: Int64, limit: Int) async throws -> [OutboxEvent]
}

/// A team operation that cannot be done, in words for the admin.
public struct TeamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// Makes an error.
    public init(_ description: String) {
        self.description = description
    }
}
