import Foundation
import PostgresNIO
import RosterCore
import SCIM

extension PostgresStore {
    /// Creates a team, with its audit entry.
    public func createTeam(name: String, slug: String?, by actor: AuditActor) async throws -> Team {
        let trimmed = name.trimmed()
        guard !trimmed.isEmpty else { throw TeamError("a team needs a name") }
        let team = Team(id: PostgresStore.newID(), name: trimmed, slug: slug.map(Team.slug(from:)) ?? Team.slug(from: trimmed), createdAt: now())
        do {
            try await write { transaction in
                let inserted = try await transaction.rows(
                    """
                    INSERT INTO team (id, name, slug, created_at) VALUES (\(team.id), \(team.name), \(team.slug), \(team.createdAt))
                    ON CONFLICT (slug) DO NOTHING RETURNING 1
                    """
                )
                if inserted.isEmpty { throw TeamError("a team with the slug \"\(team.slug)\" already exists") }
                transaction.record(.teamCreated(team, by: actor), at: team.createdAt)
            }
        }
        return team
    }

    /// Every team, by name (bytewise, whatever the database's collation).
    public func teams() async throws -> [Team] {
        try await read { reader in
            try await reader.rows("SELECT id, name, slug, created_at FROM team ORDER BY name COLLATE \"C\", slug COLLATE \"C\"").map(
                PostgresStore.team(from:)
            )
        }
    }

    /// The team whose id, slug or name is `reference`.
    public func team(_ reference: String) async throws -> Team? {
        try await read { reader in try await PostgresStore.findTeam(reader, reference) }
    }

    /// Renames a team, with an audit entry of the previous name (none when the name does not change).
    public func renameTeam(_ reference: String, to name: String, by actor: AuditActor) async throws -> Team {
        let trimmed = name.trimmed()
        guard !trimmed.isEmpty else { throw TeamError("a team needs a name") }
        let timestamp = now()
        return try await write { transaction in
            var team = try await PostgresStore.requireTeam(transaction, reference, lock: true)
            let previousName = team.name
            try await transaction.execute("UPDATE team SET name = \(trimmed) WHERE id = \(team.id)")
            team.name = trimmed
            if let entry = AuditEntry.teamRenamed(team, from: previousName, by: actor) { transaction.record(entry, at: timestamp) }
            return team
        }
    }

    /// Deletes a team, with its audit entry; every active member gets a `team.member_removed` event first.
    public func deleteTeam(_ reference: String, by actor: AuditActor) async throws {
        let timestamp = now()
        try await write { transaction in
            let team = try await PostgresStore.requireTeam(transaction, reference, lock: true)
            let members = try await transaction.rows(
                """
                SELECT u.id, u.user_name, u.directory_id FROM scim_user u
                WHERE u.active AND u.row_id IN (SELECT user_row FROM team_membership WHERE team_id = \(team.id))
                ORDER BY u.row_id
                """
            )
            for member in members {
                let (id, userName, directoryID) = try member.decode((String, String, String).self)
                transaction.append(
                    .teamMember(.removed, team: team, user: UserIdentity(id: id, userName: userName), directoryID: directoryID, source: nil),
                    at: timestamp
                )
            }
            try await transaction.execute("DELETE FROM team WHERE id = \(team.id)")
            transaction.record(.teamDeleted(team, by: actor), at: timestamp)
        }
    }

    /// Maps a group name to a team and back-fills at once, in one transaction, saying what it did. The group name
    /// is locked first (``lockGroupName(_:_:)``), and the groups of that name, so that a member change or a group
    /// created at the same moment is either seen by the back-fill or sees the mapping. A new mapping is recorded in
    /// the audit trail; one that already existed is not.
    public func map(
        team reference: String,
        groupName: String,
        directoryID: String?,
        by actor: AuditActor
    ) async throws -> TeamMappingOutcome {
        guard !groupName.isEmpty else { throw TeamError("the group name is empty") }
        let timestamp = now()
        return try await write { transaction in
            let team = try await PostgresStore.requireTeam(transaction, reference, lock: false)
            if let directoryID, try await transaction.first("SELECT 1 FROM directory WHERE id = \(directoryID)") == nil {
                throw TeamError("no directory with id \"\(directoryID)\"")
            }
            try await PostgresStore.lockGroupName(transaction, groupName)
            let added = try await !transaction.rows(
                """
                INSERT INTO team_mapping (team_id, directory_id, group_name, created_at) VALUES (\(team.id), \(directoryID), \(groupName), \(timestamp))
                ON CONFLICT DO NOTHING RETURNING 1
                """
            ).isEmpty
            let sync = PostgresTeamSync(transaction: transaction, at: timestamp)
            let groups = try await PostgresStore.groups(transaction, named: groupName, directoryID: directoryID)
            var joined: [Int] = []
            for group in groups {
                joined.append(try await sync.backfill(team: team.id, group: group))
            }
            let otherCase = try await transaction.rows(
                """
                SELECT DISTINCT display_name COLLATE "C" FROM scim_group
                WHERE display_name_key = \(groupName.lowercased()) AND display_name <> \(groupName)
                    AND (\(directoryID)::text IS NULL OR directory_id = \(directoryID))
                ORDER BY 1
                """
            ).map { try $0.decode(String.self) }
            if added { transaction.record(.groupMapped(team, groupName: groupName, directoryID: directoryID, by: actor), at: timestamp) }
            let mapping = TeamMapping(teamID: team.id, directoryID: directoryID, groupName: groupName)
            return TeamMappingOutcome(mapping, added: added, joinedPerGroup: joined, namesDifferingInCase: otherCase)
        }
    }

    /// Removes a mapping and the memberships it alone sourced, with its audit entry.
    public func unmap(team reference: String, groupName: String, directoryID: String?, by actor: AuditActor) async throws {
        let timestamp = now()
        try await write { transaction in
            let team = try await PostgresStore.requireTeam(transaction, reference, lock: false)
            try await PostgresStore.lockGroupName(transaction, groupName)
            let deleted = try await transaction.rows(
                """
                DELETE FROM team_mapping WHERE team_id = \(team.id) AND directory_id IS NOT DISTINCT FROM \(directoryID)
                    AND group_name = \(groupName) RETURNING 1
                """
            )
            guard !deleted.isEmpty else { throw TeamError("team \"\(team.slug)\" has no mapping for the group name \"\(groupName)\"") }
            let sync = PostgresTeamSync(transaction: transaction, at: timestamp)
            for group in try await PostgresStore.groups(transaction, named: groupName, directoryID: directoryID) {
                // Another mapping (say, one for every directory) may still feed the team from this group.
                if try await sync.teams(mappedTo: group.displayName, directoryID: group.directoryID).contains(team.id) { continue }
                try await sync.withdraw(team: team.id, group: group)
            }
            transaction.record(.groupUnmapped(team, groupName: groupName, directoryID: directoryID, by: actor), at: timestamp)
        }
    }

    /// The mappings, of one team or all.
    public func mappings(team reference: String?) async throws -> [TeamMapping] {
        try await read { reader in
            let rows: [PostgresRow]
            if let reference {
                let team = try await PostgresStore.requireTeam(reader, reference, lock: false)
                rows = try await reader.rows("SELECT team_id, directory_id, group_name FROM team_mapping WHERE team_id = \(team.id) ORDER BY row_id")
            } else {
                rows = try await reader.rows("SELECT team_id, directory_id, group_name FROM team_mapping ORDER BY row_id")
            }
            return try rows.map { row in
                let (teamID, directoryID, groupName) = try row.decode((String, String?, String).self)
                return TeamMapping(teamID: teamID, directoryID: directoryID, groupName: groupName)
            }
        }
    }

    /// A team's members with their sources.
    public func teamMembers(_ reference: String) async throws -> [TeamMember] {
        try await read { reader in
            let team = try await PostgresStore.requireTeam(reader, reference, lock: false)
            let rows = try await reader.rows(
                """
                SELECT u.id, u.user_name, u.directory_id, u.active, g.id, g.display_name, u.person_email
                FROM team_membership t JOIN scim_user u ON u.row_id = t.user_row LEFT JOIN scim_group g ON g.row_id = t.source_group_row
                WHERE t.team_id = \(team.id) ORDER BY u.row_id, t.source_group_row NULLS FIRST
                """
            )
            var members: [TeamMember] = []
            for row in rows {
                let (userID, userName, directoryID, active, groupID, groupName, personEmail) = try row.decode(
                    (String, String, String, Bool, String?, String?, String?).self
                )
                let source = TeamMembershipSource(groupID: groupID, displayName: groupName)
                if let last = members.last, last.userID == userID {
                    members[members.count - 1].sources.append(source)
                } else {
                    members.append(
                        TeamMember(
                            userID: userID,
                            userName: userName,
                            directoryID: directoryID,
                            active: active,
                            personEmail: personEmail,
                            sources: [source]
                        )
                    )
                }
            }
            return members
        }
    }

    /// Adds a user to a team by hand, with its audit entry; false (and no entry) when they already were a manual
    /// member.
    @discardableResult
    public func addManualMember(team reference: String, directoryID: String, userID: String, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await write { transaction in
            let team = try await PostgresStore.requireTeam(transaction, reference, lock: false)
            let row = try await PostgresStore.fetchRow(transaction, .of(.user), directoryID: directoryID, id: userID, forUpdate: false)
            guard try await PostgresTeamSync(transaction: transaction, at: timestamp).addManual(team: team.id, userRow: row.rowID) else {
                return false
            }
            let user = UserIdentity(id: row.id, userName: IndexedColumns.user(row.attributes).userName)
            transaction.record(.memberAdded(team, user: user, directoryID: directoryID, by: actor), at: timestamp)
            return true
        }
    }

    /// Removes a manual membership (group-sourced ones stay), with its audit entry; false (and no entry) when there
    /// was none.
    public func removeManualMember(team reference: String, userID: String, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await write { transaction in
            guard let team = try await PostgresStore.findTeam(transaction, reference),
                let (userRow, userName) = try await transaction.first("SELECT row_id, user_name FROM scim_user WHERE id = \(userID)")?
                    .decode((Int64, String).self),
                try await PostgresTeamSync(transaction: transaction, at: timestamp).removeManual(team: team.id, userRow: userRow)
            else { return false }
            transaction.record(.memberRemoved(team, user: UserIdentity(id: userID, userName: userName), by: actor), at: timestamp)
            return true
        }
    }

    /// Events after `sequence`, oldest first. Every event writer commits in sequence order
    /// (``PostgresTransaction/commit()``), so a reader that moves its cursor past what it saw never skips one.
    public func events(after sequence: Int64, limit: Int) async throws -> [OutboxEvent] {
        try await read { reader in
            try await reader.rows(
                """
                SELECT sequence, id, type, directory_id, resource_id, data, previous_attributes, created_at FROM event
                WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(Int64(limit))
                """
            ).map(PostgresStore.event(from:))
        }
    }

    // MARK: Helpers

    /// A team from the columns `id, name, slug, created_at`.
    static func team(from row: PostgresRow) throws -> Team {
        let (id, name, slug, createdAt) = try row.decode((String, String, String, Int64).self)
        return Team(id: id, name: name, slug: slug, createdAt: createdAt)
    }

    /// The team whose id, slug or name is `reference` (``TeamReference``); a ``TeamError`` for a name several teams
    /// have.
    static func findTeam(_ querying: some PostgresQuerying, _ reference: String) async throws -> Team? {
        let candidates = try await querying.rows(
            "SELECT id, name, slug, created_at FROM team WHERE id = \(reference) OR slug = \(reference) OR translate(name, \(PostgresStore.asciiUpper), \(PostgresStore.asciiLower)) = \(PostgresStore.asciiLowercased(reference))"
        ).map(team(from:))
        return try TeamReference.resolve(reference, among: candidates)
    }

    /// The team whose id, slug or name is `reference`, read through `querying` (see the static ``findTeam(_:_:)``).
    func findTeam(_ querying: some PostgresQuerying, _ reference: String) async throws -> Team? {
        try await PostgresStore.findTeam(querying, reference)
    }

    /// `A…Z` and `a…z`: team names match ignoring ASCII case only, as SQLite's `NOCASE` does (`lower()` would fold
    /// every script).
    static let asciiUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    /// See ``asciiUpper``.
    static let asciiLower = "abcdefghijklmnopqrstuvwxyz"

    /// `text` with ASCII letters lowercased and everything else kept.
    static func asciiLowercased(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32) ?? $0 : $0 }))
    }

    /// The team of `reference`, locked for the transaction when `lock`, or a ``TeamError``.
    static func requireTeam(_ querying: some PostgresQuerying, _ reference: String, lock: Bool) async throws -> Team {
        guard let team = try await findTeam(querying, reference) else { throw TeamError("no team with id, slug or name \"\(reference)\"") }
        if lock { _ = try await querying.rows("SELECT 1 FROM team WHERE id = \(team.id) FOR NO KEY UPDATE") }
        return team
    }

    /// Serializes the transactions that decide which teams a group name feeds: mapping and unmapping it, and
    /// creating or renaming a group to it (a transaction-scoped advisory lock on the name's hash).
    static func lockGroupName(_ querying: some PostgresQuerying, _ name: String) async throws {
        _ = try await querying.rows("SELECT pg_advisory_xact_lock(hashtext('roster.group-name:' || \(name)))")
    }

    /// The groups whose display name is exactly `name`, in one directory or all, locked for the transaction.
    private static func groups(_ transaction: PostgresTransaction, named name: String, directoryID: String?) async throws -> [GroupRef] {
        try await transaction.rows(
            """
            SELECT row_id, id, directory_id, display_name FROM scim_group
            WHERE display_name = \(name) AND (\(directoryID)::text IS NULL OR directory_id = \(directoryID)) ORDER BY row_id FOR NO KEY UPDATE
            """
        ).map { row in
            let (rowID, id, directoryID, displayName) = try row.decode((Int64, String, String, String).self)
            return GroupRef(row: rowID, id: id, directoryID: directoryID, displayName: displayName)
        }
    }
}
