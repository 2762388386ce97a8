import Foundation
import PostgresNIO
import RosterCore
import SCIM

/// The settings pages' queries (``ConsoleStore``), with the SQLite store's results and order: text is ordered
/// bytewise (`COLLATE "C"`, as SQLite's BINARY), searches match the lowercased key columns with an escaped `LIKE`.
extension PostgresStore {
    /// A directory's counts (``ResourceCounter``, kept by triggers in every write).
    public func directoryStatus(directoryID: String) async throws -> DirectoryStatus {
        try await read { reader in
            var counts: [String: Int] = [:]
            for row in try await reader.rows(
                "SELECT counter, SUM(count)::BIGINT FROM resource_count WHERE directory_id = \(directoryID) GROUP BY counter"
            ) {
                let (counter, count) = try row.decode((String, Int64).self)
                counts[counter] = Int(count)
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
        var condition = "directory_id = $1"
        var binds = PostgresBindings()
        binds.append(directoryID)
        if let pattern = ConsoleSearch.likePattern(search) {
            condition += """
                 AND (user_name_key LIKE $2 ESCAPE '\\' OR display_name_key LIKE $2 ESCAPE '\\'
                    OR row_id IN (SELECT user_row FROM scim_user_email WHERE directory_id = $1 AND value_key LIKE $2 ESCAPE '\\'))
                """
            binds.append(pattern)
        }
        let (countQuery, pageQuery) = PostgresStore.summaryQueries(
            "row_id, id, user_name, active, document",
            from: "scim_user",
            where: condition,
            binds: binds,
            orderBy: #"user_name_key COLLATE "C""#,
            offset: offset,
            limit: limit
        )
        return try await read { reader in
            let total = try await reader.first(countQuery)?.decode(Int64.self) ?? 0
            let rows = try await reader.rows(pageQuery).map(ConsoleUserRow.init(row:))
            let teams = try await PostgresStore.teamNames(reader, userRows: rows.map(\.rowID))
            let items = try rows.map { row in try row.summary(teams: teams[row.rowID] ?? []) }
            return SummaryPage(total: Int(total), items: items)
        }
    }

    /// A user with their groups and team memberships.
    public func userDetail(directoryID: String, userID: String) async throws -> UserDetail? {
        try await read { reader in
            guard
                let user = try await reader.first(
                    "SELECT row_id, id, user_name, active, document FROM scim_user WHERE directory_id = \(directoryID) AND id = \(userID)"
                ).map(ConsoleUserRow.init(row:))
            else { return nil }
            let groups = try await reader.rows(
                """
                SELECT g.id, g.display_name FROM group_member m JOIN scim_group g ON g.row_id = m.group_row
                WHERE m.user_row = \(user.rowID) ORDER BY g.display_name_key COLLATE "C"
                """
            ).map { row in
                let (id, displayName) = try row.decode((String, String).self)
                return GroupReference(id: id, displayName: displayName)
            }
            var teams: [UserTeamMembership] = []
            for membership in try await reader.rows(
                """
                SELECT t.id, t.name, t.slug, t.created_at, g.id, g.display_name FROM team_membership m
                JOIN team t ON t.id = m.team_id LEFT JOIN scim_group g ON g.row_id = m.source_group_row
                WHERE m.user_row = \(user.rowID)
                ORDER BY t.name COLLATE "C", t.slug COLLATE "C", g.display_name_key COLLATE "C" NULLS FIRST
                """
            ) {
                let (id, name, slug, createdAt, groupID, groupName) = try membership.decode(
                    (String, String, String, Int64, String?, String?).self
                )
                let team = Team(id: id, name: name, slug: slug, createdAt: createdAt)
                teams.append(TeamMembershipSource(groupID: groupID, displayName: groupName), of: team)
            }
            return UserDetail(summary: try user.summary(teams: teams.map(\.team.name)), groups: groups, teams: teams)
        }
    }

    /// One page of groups by display name, with member counts and mapped team names.
    public func groupSummaries(directoryID: String, search: String?, offset: Int, limit: Int) async throws -> SummaryPage<GroupSummary> {
        var condition = "g.directory_id = $1"
        var binds = PostgresBindings()
        binds.append(directoryID)
        if let pattern = ConsoleSearch.likePattern(search) {
            condition += " AND g.display_name_key LIKE $2 ESCAPE '\\'"
            binds.append(pattern)
        }
        let (countQuery, pageQuery) = PostgresStore.summaryQueries(
            "g.id, g.display_name, (SELECT COUNT(*) FROM group_member m WHERE m.group_row = g.row_id)",
            from: "scim_group g",
            where: condition,
            binds: binds,
            orderBy: #"g.display_name_key COLLATE "C""#,
            offset: offset,
            limit: limit
        )
        return try await read { reader in
            let total = try await reader.first(countQuery)?.decode(Int64.self) ?? 0
            let rows = try await reader.rows(pageQuery).map { try $0.decode((String, String, Int64).self) }
            var teamsByGroupName: [String: [String]] = [:]
            if !rows.isEmpty {
                let names = rows.map(\.1)
                for row in try await reader.rows(
                    """
                    SELECT DISTINCT m.group_name, t.name COLLATE "C" AS team_name FROM team_mapping m JOIN team t ON t.id = m.team_id
                    WHERE m.group_name = ANY(\(names)) AND (m.directory_id IS NULL OR m.directory_id = \(directoryID))
                    ORDER BY team_name
                    """
                ) {
                    let (groupName, teamName) = try row.decode((String, String).self)
                    teamsByGroupName[groupName, default: []].append(teamName)
                }
            }
            let items = rows.map { id, name, members in
                GroupSummary(id: id, displayName: name, memberCount: Int(members), teams: teamsByGroupName[name] ?? [])
            }
            return SummaryPage(total: Int(total), items: items)
        }
    }

    /// Every team with its group names (each name once, in the order it was first mapped) and its people counted by
    /// membership status.
    public func teamOverviews() async throws -> [TeamOverview] {
        try await read { reader in
            let teams = try await reader.rows(
                #"SELECT id, name, slug, created_at FROM team ORDER BY name COLLATE "C", slug COLLATE "C""#
            ).map { row in
                let (id, name, slug, createdAt) = try row.decode((String, String, String, Int64).self)
                return Team(id: id, name: name, slug: slug, createdAt: createdAt)
            }
            guard !teams.isEmpty else { return [] }
            var groupNames: [String: [String]] = [:]
            for row in try await reader.rows(
                "SELECT team_id, group_name FROM team_mapping GROUP BY team_id, group_name ORDER BY team_id, MIN(row_id)"
            ) {
                let (teamID, groupName) = try row.decode((String, String).self)
                groupNames[teamID, default: []].append(groupName)
            }
            var counts: [String: (active: Int, suspended: Int)] = [:]
            for row in try await reader.rows(
                """
                SELECT m.team_id, COUNT(DISTINCT COALESCE(u.person_email, 'user:' || u.id)) FILTER (WHERE u.active),
                    COUNT(DISTINCT COALESCE(u.person_email, 'user:' || u.id))
                FROM team_membership m JOIN scim_user u ON u.row_id = m.user_row GROUP BY m.team_id
                """
            ) {
                let (teamID, active, all) = try row.decode((String, Int64, Int64).self)
                counts[teamID] = (Int(active), Int(all - active))
            }
            return teams.map { team in
                let count = counts[team.id] ?? (0, 0)
                return TeamOverview(
                    team: team,
                    groupNames: groupNames[team.id] ?? [],
                    memberCount: count.active,
                    suspendedCount: count.suspended
                )
            }
        }
    }

    // MARK: Helpers

    /// The count of the rows of `table` matching `condition` (over `binds`), and one page of them (`columns`, in
    /// `order`, `limit` from `offset`, negative ones taken as zero).
    private static func summaryQueries(
        _ columns: String,
        from table: String,
        where condition: String,
        binds: PostgresBindings,
        orderBy order: String,
        offset: Int,
        limit: Int
    ) -> (count: PostgresQuery, page: PostgresQuery) {
        var pageBinds = binds
        pageBinds.append(max(limit, 0))
        pageBinds.append(max(offset, 0))
        let count = PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table) WHERE \(condition)", binds: binds)
        let page = PostgresQuery(
            unsafeSQL: """
                SELECT \(columns) FROM \(table) WHERE \(condition)
                ORDER BY \(order) LIMIT $\(pageBinds.count - 1) OFFSET $\(pageBinds.count)
                """,
            binds: pageBinds
        )
        return (count, page)
    }

    /// The distinct team names of each of `userRows`, ordered bytewise.
    private static func teamNames(_ reader: PostgresReader, userRows: [Int64]) async throws -> [Int64: [String]] {
        guard !userRows.isEmpty else { return [:] }
        var result: [Int64: [String]] = [:]
        for row in try await reader.rows(
            """
            SELECT DISTINCT m.user_row, t.name COLLATE "C" AS team_name FROM team_membership m JOIN team t ON t.id = m.team_id
            WHERE m.user_row = ANY(\(userRows)) ORDER BY team_name
            """
        ) {
            let (userRow, name) = try row.decode((Int64, String).self)
            result[userRow, default: []].append(name)
        }
        return result
    }
}

/// A user row as the settings pages read it: `row_id, id, user_name, active, document`.
private struct ConsoleUserRow {
    /// The internal row id.
    var rowID: Int64
    /// The SCIM id.
    var id: String
    /// `userName`.
    var userName: String
    /// Whether the user is active.
    var active: Bool
    /// The stored SCIM document.
    var document: String

    /// Decodes `row_id, id, user_name, active, document`.
    init(row: PostgresRow) throws {
        (rowID, id, userName, active, document) = try row.decode((Int64, String, String, Bool, String).self)
    }

    /// The summary, with the user's team names.
    func summary(teams: [String]) throws -> UserSummary {
        try UserSummary(id: id, userName: userName, active: active, document: document, teams: teams)
    }
}
