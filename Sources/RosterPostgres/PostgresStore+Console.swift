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
        if let pattern = PostgresStore.containsPattern(search) {
            condition += """
                 AND (user_name_key LIKE $2 ESCAPE '\\' OR display_name_key LIKE $2 ESCAPE '\\'
                    OR row_id IN (SELECT user_row FROM scim_user_email WHERE directory_id = $1 AND value_key LIKE $2 ESCAPE '\\'))
                """
            binds.append(pattern)
        }
        let countQuery = PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM scim_user WHERE \(condition)", binds: binds)
        var pageBinds = binds
        pageBinds.append(max(limit, 0))
        pageBinds.append(max(offset, 0))
        let pageQuery = PostgresQuery(
            unsafeSQL: """
                SELECT row_id, id, user_name, active, document FROM scim_user WHERE \(condition)
                ORDER BY user_name_key COLLATE "C" LIMIT $\(pageBinds.count - 1) OFFSET $\(pageBinds.count)
                """,
            binds: pageBinds
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
                let source = TeamMembershipSource(groupID: groupID, displayName: groupName)
                if teams.last?.team.id == team.id {
                    teams[teams.count - 1].sources.append(source)
                } else {
                    teams.append(UserTeamMembership(team: team, sources: [source]))
                }
            }
            return UserDetail(summary: try user.summary(teams: teams.map(\.team.name)), groups: groups, teams: teams)
        }
    }

    /// One page of groups by display name, with member counts and mapped team names.
    public func groupSummaries(directoryID: String, search: String?, offset: Int, limit: Int) async throws -> SummaryPage<GroupSummary> {
        var condition = "g.directory_id = $1"
        var binds = PostgresBindings()
        binds.append(directoryID)
        if let pattern = PostgresStore.containsPattern(search) {
            condition += " AND g.display_name_key LIKE $2 ESCAPE '\\'"
            binds.append(pattern)
        }
        let countQuery = PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM scim_group g WHERE \(condition)", binds: binds)
        var pageBinds = binds
        pageBinds.append(max(limit, 0))
        pageBinds.append(max(offset, 0))
        let pageQuery = PostgresQuery(
            unsafeSQL: """
                SELECT g.id, g.display_name, (SELECT COUNT(*) FROM group_member m WHERE m.group_row = g.row_id)
                FROM scim_group g WHERE \(condition)
                ORDER BY g.display_name_key COLLATE "C" LIMIT $\(pageBinds.count - 1) OFFSET $\(pageBinds.count)
                """,
            binds: pageBinds
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

    /// A `LIKE` pattern (for `ESCAPE '\'`) matching values that contain `search`, lowercased, with `%`, `_` and `\`
    /// escaped; nil for no search (nil, or only spaces).
    static func containsPattern(_ search: String?) -> String? {
        guard let search = search?.trimmed(), !search.isEmpty else { return nil }
        var pattern = "%"
        for character in search.lowercased() {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern + "%"
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
        let attributes = try ResourceDocument.attributes(of: document, id: id)
        return UserSummary(
            id: id,
            userName: userName,
            name: Self.displayName(of: attributes),
            email: Self.primaryEmail(of: attributes),
            active: active,
            teams: teams
        )
    }

    /// `displayName`, else `name.formatted`, else given and family name.
    private static func displayName(of attributes: JSONObject) -> String? {
        if let name = attributes["displayName"]?.stringValue, !name.isEmpty { return name }
        guard let name = attributes["name"]?.objectValue else { return nil }
        if let formatted = name["formatted"]?.stringValue, !formatted.isEmpty { return formatted }
        let parts = [name["givenName"]?.stringValue, name["familyName"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// The primary email, else the first.
    private static func primaryEmail(of attributes: JSONObject) -> String? {
        let emails = (attributes["emails"]?.arrayValue ?? []).compactMap(\.objectValue)
        let primary = emails.first { $0["primary"]?.boolValue == true } ?? emails.first
        return primary?["value"]?.stringValue
    }
}
