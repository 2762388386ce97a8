import Foundation
import GRDB
import RosterCore
import SCIM

extension SQLiteStore: ConsoleStore {
    /// A directory's counts (``ResourceCounter``, kept by triggers in every write).
    public func directoryStatus(directoryID: String) async throws -> DirectoryStatus {
        try await writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT counter, SUM(count) FROM resource_count WHERE directory_id = ? GROUP BY counter",
                arguments: [directoryID]
            ) {
                counts[row[0]] = row[1]
            }
            return DirectoryStatus(
                activeUsers: counts[ResourceCounter.activeUsers.rawValue] ?? 0,
                inactiveUsers: counts[ResourceCounter.inactiveUsers.rawValue] ?? 0,
                groups: counts[ResourceCounter.groups.rawValue] ?? 0
            )
        }
    }

    /// One page of users by `userName`, each with their team names.
    public func userSummaries(directoryID: String, search: String?, offset: Int, limit: Int) async throws -> SummaryPage<UserSummary> {
        try await writer.read { db in
            var condition = "directory_id = ?"
            var arguments: StatementArguments = [directoryID]
            if let pattern = ConsoleSearch.likePattern(search) {
                condition += """
                     AND (user_name_key LIKE ? ESCAPE '\\' OR display_name_key LIKE ? ESCAPE '\\'
                        OR row_id IN (SELECT user_row FROM scim_user_email WHERE directory_id = ? AND value_key LIKE ? ESCAPE '\\'))
                    """
                arguments += [pattern, pattern, directoryID, pattern]
            }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scim_user WHERE \(condition)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT row_id, id, user_name, active, document FROM scim_user WHERE \(condition) ORDER BY user_name_key LIMIT ? OFFSET ?",
                arguments: arguments + [limit, offset]
            )
            let teams = try SQLiteStore.teamNames(db, userRows: rows.map { $0[0] })
            let items = try rows.map { row in
                try SQLiteStore.userSummary(row: row, teams: teams[row[0] as Int64] ?? [])
            }
            return SummaryPage(total: total, items: items)
        }
    }

    /// A user with their groups and team memberships.
    public func userDetail(directoryID: String, userID: String) async throws -> UserDetail? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT row_id, id, user_name, active, document FROM scim_user WHERE directory_id = ? AND id = ?",
                    arguments: [directoryID, userID]
                )
            else { return nil }
            let userRow: Int64 = row[0]
            let groups = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.id, g.display_name FROM group_member m JOIN scim_group g ON g.row_id = m.group_row
                    WHERE m.user_row = ? ORDER BY g.display_name_key
                    """,
                arguments: [userRow]
            ).map { GroupReference(id: $0[0], displayName: $0[1]) }
            var teams: [UserTeamMembership] = []
            for membership in try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, t.name, t.slug, t.created_at, g.id, g.display_name FROM team_membership m
                    JOIN team t ON t.id = m.team_id LEFT JOIN scim_group g ON g.row_id = m.source_group_row
                    WHERE m.user_row = ? ORDER BY t.name, t.slug, g.display_name_key
                    """,
                arguments: [userRow]
            ) {
                let team = Team(id: membership[0], name: membership[1], slug: membership[2], createdAt: membership[3])
                teams.append(TeamMembershipSource(groupID: membership[4], displayName: membership[5]), of: team)
            }
            let summary = try SQLiteStore.userSummary(row: row, teams: teams.map(\.team.name))
            return UserDetail(summary: summary, groups: groups, teams: teams)
        }
    }

    /// One page of groups by display name, with member counts and mapped team names.
    public func groupSummaries(directoryID: String, search: String?, offset: Int, limit: Int) async throws -> SummaryPage<GroupSummary> {
        try await writer.read { db in
            var condition = "directory_id = ?"
            var arguments: StatementArguments = [directoryID]
            if let pattern = ConsoleSearch.likePattern(search) {
                condition += " AND display_name_key LIKE ? ESCAPE '\\'"
                arguments += [pattern]
            }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scim_group WHERE \(condition)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.id, g.display_name, (SELECT COUNT(*) FROM group_member m WHERE m.group_row = g.row_id)
                    FROM scim_group g WHERE \(condition) ORDER BY g.display_name_key LIMIT ? OFFSET ?
                    """,
                arguments: arguments + [limit, offset]
            )
            let items = try rows.map { row in
                let name: String = row[1]
                let teams = try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT t.name FROM team_mapping m JOIN team t ON t.id = m.team_id
                        WHERE m.group_name = ? AND (m.directory_id IS NULL OR m.directory_id = ?) ORDER BY t.name
                        """,
                    arguments: [name, directoryID]
                )
                return GroupSummary(id: row[0], displayName: name, memberCount: row[2], teams: teams)
            }
            return SummaryPage(total: total, items: items)
        }
    }

    /// Every team with its group names and its people counted by membership status.
    public func teamOverviews() async throws -> [TeamOverview] {
        try await writer.read { db in
            let teams = try Row.fetchAll(db, sql: "SELECT id, name, slug, created_at FROM team ORDER BY name, slug")
            return try teams.map { row in
                let team = Team(id: row[0], name: row[1], slug: row[2], createdAt: row[3])
                let names = try String.fetchAll(
                    db,
                    sql: "SELECT group_name FROM team_mapping WHERE team_id = ? GROUP BY group_name ORDER BY MIN(row_id)",
                    arguments: [team.id]
                )
                let counts = try SQLiteStore.teamPeopleCounts(db, teamID: team.id)
                return TeamOverview(team: team, groupNames: names, memberCount: counts.active, suspendedCount: counts.suspended)
            }
        }
    }

    // MARK: Helpers

    /// A team's people (``TeamPerson``: users of one email are one person) with an active membership, and those
    /// whose every membership is suspended.
    static func teamPeopleCounts(_ db: Database, teamID: String) throws -> (active: Int, suspended: Int) {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(DISTINCT CASE WHEN u.active = 1 THEN IFNULL(u.person_email, 'user:' || u.id) END),
                    COUNT(DISTINCT IFNULL(u.person_email, 'user:' || u.id))
                FROM team_membership m JOIN scim_user u ON u.row_id = m.user_row WHERE m.team_id = ?
                """,
            arguments: [teamID]
        )
        let active: Int = row?[0] ?? 0
        let all: Int = row?[1] ?? 0
        return (active, all - active)
    }

    /// The team names of each of `userRows`, by name.
    private static func teamNames(_ db: Database, userRows: [Int64]) throws -> [Int64: [String]] {
        guard !userRows.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: userRows.count).joined(separator: ", ")
        var result: [Int64: [String]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT m.user_row, t.name FROM team_membership m JOIN team t ON t.id = m.team_id
                WHERE m.user_row IN (\(placeholders)) ORDER BY t.name
                """,
            arguments: StatementArguments(userRows)
        ) {
            result[row[0], default: []].append(row[1])
        }
        return result
    }

    /// A user summary from `row_id, id, user_name, active, document`.
    private static func userSummary(row: Row, teams: [String]) throws -> UserSummary {
        try UserSummary(id: row[1], userName: row[2], active: row[3], document: row[4], teams: teams)
    }
}
