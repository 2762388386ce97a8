import GRDB
import RosterCore
import SCIM

/// Keeps team memberships in step with group memberships inside the transaction of the change that causes them:
/// SQLite's rows for the decisions of ``TeamMembershipRules`` (when a row change is a membership change) and the
/// events of ``NewEvent/teamMember(_:team:user:directoryID:source:)``. A one-member group change touches
/// O(mapped teams) rows.
struct TeamSync {
    /// The open transaction.
    let db: Database
    /// The time of the change.
    let at: Int64

    /// The teams mapped to a group name in a directory (exact, case-sensitive match), by slug.
    func teams(mappedTo groupName: String, directoryID: String) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT t.id FROM team t JOIN (
                    SELECT DISTINCT team_id FROM team_mapping WHERE group_name = ? AND (directory_id IS NULL OR directory_id = ?)
                ) m ON m.team_id = t.id
                ORDER BY t.slug
                """,
            arguments: [groupName, directoryID]
        )
    }

    /// A user joined a group: it now sources membership of every team mapped to the group's name.
    func memberJoined(userRow: Int64, group: GroupRef) throws {
        for team in try teams(mappedTo: group.displayName, directoryID: group.directoryID) {
            try addSource(team: team, userRow: userRow, group: group)
        }
    }

    /// A user left a group: the memberships it sourced go.
    func memberLeft(userRow: Int64, group: GroupRef) throws {
        let teams = try String.fetchAll(
            db,
            sql: """
                SELECT m.team_id FROM team_membership m JOIN team t ON t.id = m.team_id
                WHERE m.user_row = ? AND m.source_group_row = ? ORDER BY t.slug
                """,
            arguments: [userRow, group.row]
        )
        for team in teams { try removeSource(team: team, userRow: userRow, group: group) }
    }

    /// A group was renamed: its members leave teams mapped only to the old name and join teams mapped to the new.
    func groupRenamed(_ group: GroupRef, from oldName: String) throws {
        let moves = TeamMembershipRules.renameMoves(
            before: try teams(mappedTo: oldName, directoryID: group.directoryID),
            after: try teams(mappedTo: group.displayName, directoryID: group.directoryID)
        )
        guard !moves.leaving.isEmpty || !moves.joining.isEmpty else { return }
        let members = try Int64.fetchAll(db, sql: "SELECT user_row FROM group_member WHERE group_row = ? ORDER BY user_row", arguments: [group.row])
        for team in moves.leaving {
            for member in members { try removeSource(team: team, userRow: member, group: group) }
        }
        for team in moves.joining {
            for member in members { try addSource(team: team, userRow: member, group: group) }
        }
    }

    /// A group is about to be deleted: the memberships it sourced go.
    func groupDeleting(_ group: GroupRef) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT m.team_id, m.user_row FROM team_membership m JOIN team t ON t.id = m.team_id
                WHERE m.source_group_row = ? ORDER BY t.slug, m.user_row
                """,
            arguments: [group.row]
        )
        for row in rows { try removeSource(team: row[0], userRow: row[1], group: group) }
    }

    /// A user's `active` flipped: their memberships are suspended (kept, announced as removed) or restored from the
    /// groups as they are now.
    func userActivityChanged(userRow: Int64, active: Bool) throws {
        let teams = try String.fetchAll(
            db,
            sql: "SELECT t.id FROM team t WHERE t.id IN (SELECT team_id FROM team_membership WHERE user_row = ?) ORDER BY t.slug",
            arguments: [userRow]
        )
        for team in teams {
            try event(TeamMembershipRules.activityChange(active: active), team: team, userRow: userRow, group: nil)
        }
    }

    /// A user is about to be deleted: every team they are in (while active) announces their removal.
    func userDeleting(userRow: Int64) throws {
        guard TeamMembershipRules.userDeletionAnnounces(userActive: try userIsActive(userRow)) else { return }
        let teams = try String.fetchAll(
            db,
            sql: "SELECT t.id FROM team t WHERE t.id IN (SELECT team_id FROM team_membership WHERE user_row = ?) ORDER BY t.slug",
            arguments: [userRow]
        )
        for team in teams { try event(.removed, team: team, userRow: userRow, group: nil) }
    }

    /// Back-fills a team from a group's current members (a mapping was added); returns how many active users
    /// joined the team.
    @discardableResult
    func backfill(team: String, group: GroupRef) throws -> Int {
        let members = try Int64.fetchAll(db, sql: "SELECT user_row FROM group_member WHERE group_row = ? ORDER BY user_row", arguments: [group.row])
        var joined = 0
        for member in members {
            if try addSource(team: team, userRow: member, group: group) { joined += 1 }
        }
        return joined
    }

    /// Removes the memberships a group sourced in a team (a mapping was removed).
    func withdraw(team: String, group: GroupRef) throws {
        let members = try Int64.fetchAll(
            db,
            sql: "SELECT user_row FROM team_membership WHERE team_id = ? AND source_group_row = ? ORDER BY user_row",
            arguments: [team, group.row]
        )
        for member in members { try removeSource(team: team, userRow: member, group: group) }
    }

    /// Adds a manual membership; false when there already was one.
    @discardableResult
    func addManual(team: String, userRow: Int64) throws -> Bool {
        let wasIn = try holds(team: team, userRow: userRow)
        try db.executeCached(
            sql: "INSERT OR IGNORE INTO team_membership (team_id, user_row, source_group_row, created_at) VALUES (?, ?, NULL, ?)",
            arguments: [team, userRow, at]
        )
        guard db.changesCount > 0 else { return false }
        if TeamMembershipRules.announcesJoin(rowInserted: true, wasInTeam: wasIn, userActive: try userIsActive(userRow)) {
            try event(.added, team: team, userRow: userRow, group: nil)
        }
        return true
    }

    /// Removes a manual membership; true when there was one. The user leaves the team unless a group holds them.
    func removeManual(team: String, userRow: Int64) throws -> Bool {
        try db.executeCached(
            sql: "DELETE FROM team_membership WHERE team_id = ? AND user_row = ? AND source_group_row IS NULL",
            arguments: [team, userRow]
        )
        guard db.changesCount > 0 else { return false }
        if TeamMembershipRules.announcesLeave(
            rowDeleted: true,
            stillInTeam: try holds(team: team, userRow: userRow),
            userActive: try userIsActive(userRow)
        ) {
            try event(.removed, team: team, userRow: userRow, group: nil)
        }
        return true
    }

    // MARK: Rows

    /// Adds a (team, user, group) row; true when the user joined the team by it (and is active).
    @discardableResult
    private func addSource(team: String, userRow: Int64, group: GroupRef) throws -> Bool {
        let wasIn = try holds(team: team, userRow: userRow)
        try db.executeCached(
            sql: "INSERT OR IGNORE INTO team_membership (team_id, user_row, source_group_row, created_at) VALUES (?, ?, ?, ?)",
            arguments: [team, userRow, group.row, at]
        )
        let inserted = db.changesCount > 0
        guard inserted, TeamMembershipRules.announcesJoin(rowInserted: inserted, wasInTeam: wasIn, userActive: try userIsActive(userRow)) else {
            return false
        }
        try event(.added, team: team, userRow: userRow, group: group)
        return true
    }

    private func removeSource(team: String, userRow: Int64, group: GroupRef) throws {
        try db.executeCached(
            sql: "DELETE FROM team_membership WHERE team_id = ? AND user_row = ? AND source_group_row = ?",
            arguments: [team, userRow, group.row]
        )
        guard db.changesCount > 0 else { return }
        if TeamMembershipRules.announcesLeave(
            rowDeleted: true,
            stillInTeam: try holds(team: team, userRow: userRow),
            userActive: try userIsActive(userRow)
        ) {
            try event(.removed, team: team, userRow: userRow, group: group)
        }
    }

    private func holds(team: String, userRow: Int64) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM team_membership WHERE team_id = ? AND user_row = ? LIMIT 1", arguments: [team, userRow]) ?? false
    }

    private func userIsActive(_ userRow: Int64) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT active FROM scim_user WHERE row_id = ?", arguments: [userRow]) ?? false
    }

    private func event(_ change: MemberChange, team: String, userRow: Int64, group: GroupRef?) throws {
        guard let teamRow = try Row.fetchOne(db, sql: "SELECT id, name, slug, created_at FROM team WHERE id = ?", arguments: [team]),
            let user = try Row.fetchOne(db, sql: "SELECT id, user_name, directory_id FROM scim_user WHERE row_id = ?", arguments: [userRow])
        else { return }
        let event = NewEvent.teamMember(
            change,
            team: Team(id: teamRow[0], name: teamRow[1], slug: teamRow[2], createdAt: teamRow[3]),
            user: UserIdentity(id: user[0], userName: user[1]),
            directoryID: user[2],
            source: group?.identity
        )
        try EventOutbox.append(db, event, at: at)
    }
}
