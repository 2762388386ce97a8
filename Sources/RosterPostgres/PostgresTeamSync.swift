import PostgresNIO
import RosterCore
import SCIM

/// Keeps team memberships in step with group memberships inside the transaction of the change that causes them:
/// PostgreSQL's rows for the decisions of ``TeamMembershipRules`` and the events of
/// ``NewEvent/teamMember(_:team:user:directoryID:source:)``.
///
/// Concurrency: before it reads whether a user is in a team, every change locks the user's row
/// (``lockUser(_:)``), so two transactions that add the same user to one team through two groups cannot both
/// announce the join. Rows are inserted with `ON CONFLICT DO NOTHING RETURNING` and deleted with `RETURNING`, so
/// "did it change" comes from the statement.
struct PostgresTeamSync {
    /// The open transaction.
    let transaction: PostgresTransaction
    /// The time of the change.
    let at: Int64

    /// The teams mapped to a group name in a directory (exact, case-sensitive match), by slug.
    func teams(mappedTo groupName: String, directoryID: String) async throws -> [String] {
        try await transaction.rows(
            PostgresQuery(
                unsafeSQL: "SELECT " + Self.mappedTeamsSQL(groupName: "$1", directoryID: "$2"),
                binds: try PostgresBindings.of(groupName, directoryID)
            )
        ).first?.decode([String].self) ?? []
    }

    /// An array expression of the teams mapped to the group name and directory given as SQL (parameters), by
    /// slug: for a statement that reads them along with its own rows.
    static func mappedTeamsSQL(groupName: String, directoryID: String) -> String {
        """
        ARRAY(SELECT t.id FROM team t
            WHERE t.id IN (SELECT team_id FROM team_mapping WHERE group_name = \(groupName) AND (directory_id IS NULL OR directory_id = \(directoryID)))
            ORDER BY t.slug COLLATE "C")
        """
    }

    /// A user joined a group: it now sources membership of every team mapped to the group's name (`teams`, read
    /// by the caller).
    func memberJoined(userRow: Int64, group: GroupRef, teams: [String]) async throws {
        for team in teams {
            try await addSource(team: team, userRow: userRow, group: group)
        }
    }

    /// A user left a group: the memberships it sourced (in `teams`, read by the caller) go.
    func memberLeft(userRow: Int64, group: GroupRef, teams: [String]) async throws {
        for team in teams { try await removeSource(team: team, userRow: userRow, group: group) }
    }

    /// A group was renamed: its members leave teams mapped only to the old name and join teams mapped to the new.
    func groupRenamed(_ group: GroupRef, from oldName: String) async throws {
        let moves = TeamMembershipRules.renameMoves(
            before: try await teams(mappedTo: oldName, directoryID: group.directoryID),
            after: try await teams(mappedTo: group.displayName, directoryID: group.directoryID)
        )
        guard !moves.leaving.isEmpty || !moves.joining.isEmpty else { return }
        let members = try await groupMembers(group)
        for team in moves.leaving {
            for member in members { try await removeSource(team: team, userRow: member, group: group) }
        }
        for team in moves.joining {
            for member in members { try await addSource(team: team, userRow: member, group: group) }
        }
    }

    /// A group is about to be deleted: the memberships it sourced go.
    func groupDeleting(_ group: GroupRef) async throws {
        let rows = try await transaction.rows(
            """
            SELECT m.team_id, m.user_row FROM team_membership m JOIN team t ON t.id = m.team_id
            WHERE m.source_group_row = \(group.row) ORDER BY t.slug COLLATE "C", m.user_row
            """
        )
        for row in rows {
            let (team, userRow) = try row.decode((String, Int64).self)
            try await removeSource(team: team, userRow: userRow, group: group)
        }
    }

    /// A user's `active` flipped: their memberships are suspended (kept, announced as removed) or restored.
    func userActivityChanged(userRow: Int64, active: Bool) async throws {
        for team in try await teamsHolding(userRow: userRow) {
            try await event(TeamMembershipRules.activityChange(active: active), team: team, userRow: userRow, group: nil)
        }
    }

    /// A user is about to be deleted: every team they are in (while active) announces their removal.
    func userDeleting(userRow: Int64) async throws {
        guard TeamMembershipRules.userDeletionAnnounces(userActive: try await lockUser(userRow)?.active ?? false) else { return }
        for team in try await teamsHolding(userRow: userRow) {
            try await event(.removed, team: team, userRow: userRow, group: nil)
        }
    }

    /// Back-fills a team from a group's current members (a mapping was added); returns how many active users
    /// joined the team.
    @discardableResult
    func backfill(team: String, group: GroupRef) async throws -> Int {
        var joined = 0
        for member in try await groupMembers(group) {
            if try await addSource(team: team, userRow: member, group: group) { joined += 1 }
        }
        return joined
    }

    /// Removes the memberships a group sourced in a team (a mapping was removed).
    func withdraw(team: String, group: GroupRef) async throws {
        let members = try await transaction.rows(
            "SELECT user_row FROM team_membership WHERE team_id = \(team) AND source_group_row = \(group.row) ORDER BY user_row"
        ).map { try $0.decode(Int64.self) }
        for member in members { try await removeSource(team: team, userRow: member, group: group) }
    }

    /// Adds a manual membership; false when there already was one.
    @discardableResult
    func addManual(team: String, userRow: Int64) async throws -> Bool {
        let active = try await lockUser(userRow)?.active ?? false
        let wasIn = try await holds(team: team, userRow: userRow)
        let inserted = try await !transaction.rows(
            """
            INSERT INTO team_membership (team_id, user_row, source_group_row, created_at) VALUES (\(team), \(userRow), NULL, \(at))
            ON CONFLICT DO NOTHING RETURNING 1
            """
        ).isEmpty
        guard inserted else { return false }
        if TeamMembershipRules.announcesJoin(rowInserted: inserted, wasInTeam: wasIn, userActive: active) {
            try await event(.added, team: team, userRow: userRow, group: nil)
        }
        return true
    }

    /// Removes a manual membership; true when there was one. The user leaves the team unless a group holds them.
    func removeManual(team: String, userRow: Int64) async throws -> Bool {
        let active = try await lockUser(userRow)?.active ?? false
        let deleted = try await !transaction.rows(
            "DELETE FROM team_membership WHERE team_id = \(team) AND user_row = \(userRow) AND source_group_row IS NULL RETURNING 1"
        ).isEmpty
        guard deleted else { return false }
        if TeamMembershipRules.announcesLeave(rowDeleted: deleted, stillInTeam: try await holds(team: team, userRow: userRow), userActive: active) {
            try await event(.removed, team: team, userRow: userRow, group: nil)
        }
        return true
    }

    // MARK: Rows

    /// Adds a (team, user, group) row; true when the user joined the team by it (and is active). After the user's
    /// row is locked, one statement reads whether the user was in the team, inserts the row and reads the team.
    @discardableResult
    private func addSource(team: String, userRow: Int64, group: GroupRef) async throws -> Bool {
        let user = try await lockUser(userRow)
        guard
            let row = try await transaction.first(
                """
                WITH was AS (SELECT 1 FROM team_membership WHERE team_id = \(team) AND user_row = \(userRow) LIMIT 1),
                added AS (
                    INSERT INTO team_membership (team_id, user_row, source_group_row, created_at) VALUES (\(team), \(userRow), \(group.row), \(at))
                    ON CONFLICT DO NOTHING RETURNING 1
                )
                SELECT EXISTS (SELECT 1 FROM was), EXISTS (SELECT 1 FROM added), t.id, t.name, t.slug, t.created_at FROM team t WHERE t.id = \(team)
                """
            )
        else { return false }
        let (wasIn, inserted, teamID, name, slug, createdAt) = try row.decode((Bool, Bool, String, String, String, Int64).self)
        guard TeamMembershipRules.announcesJoin(rowInserted: inserted, wasInTeam: wasIn, userActive: user?.active ?? false), let user
        else { return false }
        event(.added, team: Team(id: teamID, name: name, slug: slug, createdAt: createdAt), user: user, group: group)
        return true
    }

    /// Deletes a (team, user, group) row; the user leaves the team unless another row holds them. After the user's
    /// row is locked, one statement deletes the row, reads whether another holds the user, and reads the team.
    private func removeSource(team: String, userRow: Int64, group: GroupRef) async throws {
        let user = try await lockUser(userRow)
        guard
            let row = try await transaction.first(
                """
                WITH gone AS (
                    DELETE FROM team_membership WHERE team_id = \(team) AND user_row = \(userRow) AND source_group_row = \(group.row) RETURNING 1
                )
                SELECT EXISTS (SELECT 1 FROM gone),
                    EXISTS (SELECT 1 FROM team_membership WHERE team_id = \(team) AND user_row = \(userRow)
                        AND source_group_row IS DISTINCT FROM \(group.row)),
                    t.id, t.name, t.slug, t.created_at
                FROM team t WHERE t.id = \(team)
                """
            )
        else { return }
        let (deleted, stillIn, teamID, name, slug, createdAt) = try row.decode((Bool, Bool, String, String, String, Int64).self)
        guard deleted, let user else { return }
        if TeamMembershipRules.announcesLeave(rowDeleted: deleted, stillInTeam: stillIn, userActive: user.active) {
            event(.removed, team: Team(id: teamID, name: name, slug: slug, createdAt: createdAt), user: user, group: group)
        }
    }

    /// Locks the user's row for the rest of the transaction and reads what events name of them (nil when gone).
    private func lockUser(_ userRow: Int64) async throws -> LockedUser? {
        guard
            let row = try await transaction.first(
                "SELECT active, id, user_name, directory_id FROM scim_user WHERE row_id = \(userRow) FOR NO KEY UPDATE"
            )
        else { return nil }
        let (active, id, userName, directoryID) = try row.decode((Bool, String, String, String).self)
        return LockedUser(active: active, identity: UserIdentity(id: id, userName: userName), directoryID: directoryID)
    }

    private func holds(team: String, userRow: Int64) async throws -> Bool {
        try await transaction.first("SELECT 1 FROM team_membership WHERE team_id = \(team) AND user_row = \(userRow) LIMIT 1") != nil
    }

    private func teamsHolding(userRow: Int64) async throws -> [String] {
        try await transaction.rows(
            """
            SELECT t.id FROM team t WHERE t.id IN (SELECT team_id FROM team_membership WHERE user_row = \(userRow))
            ORDER BY t.slug COLLATE "C"
            """
        ).map { try $0.decode(String.self) }
    }

    private func groupMembers(_ group: GroupRef) async throws -> [Int64] {
        try await transaction.rows("SELECT user_row FROM group_member WHERE group_row = \(group.row) ORDER BY user_row").map {
            try $0.decode(Int64.self)
        }
    }

    private func event(_ change: MemberChange, team: Team, user: LockedUser, group: GroupRef?) {
        transaction.append(
            .teamMember(
                change,
                team: team,
                user: user.identity,
                directoryID: user.directoryID,
                source: group?.identity
            ),
            at: at
        )
    }

    private func event(_ change: MemberChange, team: String, userRow: Int64, group: GroupRef?) async throws {
        guard let teamRow = try await transaction.first("SELECT id, name, slug, created_at FROM team WHERE id = \(team)"),
            let userRow = try await transaction.first("SELECT id, user_name, directory_id FROM scim_user WHERE row_id = \(userRow)")
        else { return }
        let (teamID, name, slug, createdAt) = try teamRow.decode((String, String, String, Int64).self)
        let (userID, userName, directoryID) = try userRow.decode((String, String, String).self)
        transaction.append(
            .teamMember(
                change,
                team: Team(id: teamID, name: name, slug: slug, createdAt: createdAt),
                user: UserIdentity(id: userID, userName: userName),
                directoryID: directoryID,
                source: group?.identity
            ),
            at: at
        )
    }
}

/// A user whose row a team change locked, with what its events name.
private struct LockedUser {
    /// Whether the user is active.
    var active: Bool
    /// The user's id and userName.
    var identity: UserIdentity
    /// The user's directory.
    var directoryID: String
}
