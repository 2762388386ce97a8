import Foundation
import GRDB
import RosterCore
import SCIM

extension SQLiteStore: TeamStore {
    /// Creates a team, with its audit entry in the same transaction.
    public func createTeam(name: String, slug: String?, by actor: AuditActor) async throws -> Team {
        let trimmed = name.trimmed()
        guard !trimmed.isEmpty else { throw TeamError("a team needs a name") }
        let team = Team(id: SQLiteStore.newID(), name: trimmed, slug: slug.map(Team.slug(from:)) ?? Team.slug(from: trimmed), createdAt: now())
        try await commits.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM team WHERE slug = ?", arguments: [team.slug]) == true {
                throw TeamError("a team with the slug \"\(team.slug)\" already exists")
            }
            try db.execute(
                sql: "INSERT INTO team (id, name, slug, created_at) VALUES (?, ?, ?, ?)",
                arguments: [team.id, team.name, team.slug, team.createdAt]
            )
            try AuditTrail.append(db, .teamCreated(team, by: actor), at: team.createdAt)
        }
        return team
    }

    /// Every team, by name.
    public func teams() async throws -> [Team] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, slug, created_at FROM team ORDER BY name, slug").map(SQLiteStore.team(from:))
        }
    }

    /// The team whose id, slug or name is `reference`.
    public func team(_ reference: String) async throws -> Team? {
        try await writer.read { db in try SQLiteStore.findTeam(db, reference) }
    }

    /// Renames a team, recording the previous name in the same transaction (nothing when the name stays the same).
    public func renameTeam(_ reference: String, to name: String, by actor: AuditActor) async throws -> Team {
        let trimmed = name.trimmed()
        guard !trimmed.isEmpty else { throw TeamError("a team needs a name") }
        let timestamp = now()
        return try await commits.write { db in
            var team = try SQLiteStore.requireTeam(db, reference)
            let previousName = team.name
            try db.execute(sql: "UPDATE team SET name = ? WHERE id = ?", arguments: [trimmed, team.id])
            team.name = trimmed
            if let entry = AuditEntry.teamRenamed(team, from: previousName, by: actor) { try AuditTrail.append(db, entry, at: timestamp) }
            return team
        }
    }

    /// Deletes a team; every active member gets a `team.member_removed` event first, and the deletion its audit entry.
    public func deleteTeam(_ reference: String, by actor: AuditActor) async throws {
        let timestamp = now()
        try await commits.write { db in
            let team = try SQLiteStore.requireTeam(db, reference)
            let members = try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT u.id, u.user_name, u.directory_id FROM team_membership t JOIN scim_user u ON u.row_id = t.user_row
                    WHERE t.team_id = ? AND u.active = 1 ORDER BY u.row_id
                    """,
                arguments: [team.id]
            )
            for member in members {
                let user = UserIdentity(id: member[0], userName: member[1])
                try EventOutbox.append(db, .teamMember(.removed, team: team, user: user, directoryID: member[2], source: nil), at: timestamp)
            }
            try db.execute(sql: "DELETE FROM team WHERE id = ?", arguments: [team.id])
            try AuditTrail.append(db, .teamDeleted(team, by: actor), at: timestamp)
        }
    }

    /// Maps a group name to a team and back-fills at once, in one transaction, saying what it did; a new mapping is
    /// recorded in the audit trail, one that already existed is not.
    public func map(team reference: String, groupName: String, directoryID: String?, by actor: AuditActor) async throws -> TeamMappingOutcome {
        guard !groupName.isEmpty else { throw TeamError("the group name is empty") }
        let timestamp = now()
        return try await commits.write { db in
            let team = try SQLiteStore.requireTeam(db, reference)
            if let directoryID, try Bool.fetchOne(db, sql: "SELECT 1 FROM directory WHERE id = ?", arguments: [directoryID]) != true {
                throw TeamError("no directory with id \"\(directoryID)\"")
            }
            try db.execute(
                sql: "INSERT OR IGNORE INTO team_mapping (team_id, directory_id, group_name, created_at) VALUES (?, ?, ?, ?)",
                arguments: [team.id, directoryID, groupName, timestamp]
            )
            let added = db.changesCount > 0
            let sync = TeamSync(db: db, at: timestamp)
            let groups = try SQLiteStore.groups(db, named: groupName, directoryID: directoryID)
            let joined = try groups.map { try sync.backfill(team: team.id, group: $0) }
            let otherCase = try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT display_name FROM scim_group
                    WHERE display_name_key = ? AND display_name <> ? AND (? IS NULL OR directory_id = ?) ORDER BY display_name
                    """,
                arguments: [groupName.lowercased(), groupName, directoryID, directoryID]
            )
            if added {
                try AuditTrail.append(db, .groupMapped(team, groupName: groupName, directoryID: directoryID, by: actor), at: timestamp)
            }
            let mapping = TeamMapping(teamID: team.id, directoryID: directoryID, groupName: groupName)
            return TeamMappingOutcome(mapping, added: added, joinedPerGroup: joined, namesDifferingInCase: otherCase)
        }
    }

    /// Removes a mapping and the memberships it alone sourced, with its audit entry in the same transaction.
    public func unmap(team reference: String, groupName: String, directoryID: String?, by actor: AuditActor) async throws {
        let timestamp = now()
        try await commits.write { db in
            let team = try SQLiteStore.requireTeam(db, reference)
            try db.execute(
                sql: "DELETE FROM team_mapping WHERE team_id = ? AND directory_id IS ? AND group_name = ?",
                arguments: [team.id, directoryID, groupName]
            )
            guard db.changesCount > 0 else { throw TeamError("team \"\(team.slug)\" has no mapping for the group name \"\(groupName)\"") }
            let sync = TeamSync(db: db, at: timestamp)
            for group in try SQLiteStore.groups(db, named: groupName, directoryID: directoryID) {
                // Another mapping (say, one for every directory) may still feed the team from this group.
                if try sync.teams(mappedTo: group.displayName, directoryID: group.directoryID).contains(team.id) { continue }
                try sync.withdraw(team: team.id, group: group)
            }
            try AuditTrail.append(db, .groupUnmapped(team, groupName: groupName, directoryID: directoryID, by: actor), at: timestamp)
        }
    }

    /// The mappings, of one team or all.
    public func mappings(team reference: String?) async throws -> [TeamMapping] {
        try await writer.read { db in
            var sql = "SELECT team_id, directory_id, group_name FROM team_mapping"
            var arguments: StatementArguments = []
            if let reference {
                sql += " WHERE team_id = ?"
                arguments = [try SQLiteStore.requireTeam(db, reference).id]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY row_id", arguments: arguments).map {
                TeamMapping(teamID: $0[0], directoryID: $0[1], groupName: $0[2])
            }
        }
    }

    /// A team's members with their sources.
    public func teamMembers(_ reference: String) async throws -> [TeamMember] {
        try await writer.read { db in
            let team = try SQLiteStore.requireTeam(db, reference)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT u.id, u.user_name, u.directory_id, u.active, g.id, g.display_name, u.person_email
                    FROM team_membership t JOIN scim_user u ON u.row_id = t.user_row LEFT JOIN scim_group g ON g.row_id = t.source_group_row
                    WHERE t.team_id = ? ORDER BY u.row_id, t.source_group_row
                    """,
                arguments: [team.id]
            )
            var members: [TeamMember] = []
            for row in rows {
                let userID: String = row[0]
                let source = TeamMembershipSource(groupID: row[4], displayName: row[5])
                if let last = members.last, last.userID == userID {
                    members[members.count - 1].sources.append(source)
                } else {
                    members.append(
                        TeamMember(userID: userID, userName: row[1], directoryID: row[2], active: row[3], personEmail: row[6], sources: [source])
                    )
                }
            }
            return members
        }
    }

    /// Adds a user to a team by hand, with its audit entry in the same transaction; false (and no entry) when they
    /// already were a manual member.
    @discardableResult
    public func addManualMember(team reference: String, directoryID: String, userID: String, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await commits.write { db in
            let team = try SQLiteStore.requireTeam(db, reference)
            let row = try SQLiteStore.fetchRow(db, .of(.user), directoryID: directoryID, id: userID)
            guard try TeamSync(db: db, at: timestamp).addManual(team: team.id, userRow: row.rowID) else { return false }
            let user = try AuditTrail.user(db, row: row.rowID) ?? UserIdentity(id: userID, userName: "")
            try AuditTrail.append(db, .memberAdded(team, user: user, directoryID: directoryID, by: actor), at: timestamp)
            return true
        }
    }

    /// Events after `sequence`.
    public func events(after sequence: Int64, limit: Int) async throws -> [OutboxEvent] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT sequence, id, type, directory_id, resource_id, data, previous_attributes, created_at FROM event
                    WHERE sequence > ? ORDER BY sequence LIMIT ?
                    """,
                arguments: [sequence, limit]
            ).map(SQLiteStore.event(from:))
        }
    }

    // MARK: Helpers

    private static func team(from row: Row) -> Team {
        Team(id: row[0], name: row[1], slug: row[2], createdAt: row[3])
    }

    /// The team whose id, slug or name is `reference` (``TeamReference``); a ``TeamError`` for a name several teams
    /// have.
    static func findTeam(_ db: Database, _ reference: String) throws -> Team? {
        let candidates = try Row.fetchAll(
            db,
            sql: "SELECT id, name, slug, created_at FROM team WHERE id = ? OR slug = ? OR name = ? COLLATE NOCASE",
            arguments: [reference, reference, reference]
        ).map(team(from:))
        return try TeamReference.resolve(reference, among: candidates)
    }

    private static func requireTeam(_ db: Database, _ reference: String) throws -> Team {
        guard let team = try findTeam(db, reference) else { throw TeamError("no team with id, slug or name \"\(reference)\"") }
        return team
    }

    /// The groups whose display name is exactly `name`, in one directory or all.
    private static func groups(_ db: Database, named name: String, directoryID: String?) throws -> [GroupRef] {
        try Row.fetchAll(
            db,
            sql:
                "SELECT row_id, id, directory_id, display_name FROM scim_group WHERE display_name = ? AND (? IS NULL OR directory_id = ?) ORDER BY row_id",
            arguments: [name, directoryID, directoryID]
        ).map { GroupRef(row: $0[0], id: $0[1], directoryID: $0[2], displayName: $0[3]) }
    }
}
