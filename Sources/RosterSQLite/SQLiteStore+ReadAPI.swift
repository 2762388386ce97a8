import GRDB
import RosterCore
import SCIM

extension SQLiteStore: ReadAPIStore {
    /// Users by row, filtered.
    public func apiUsers(filter: APIUserFilter, after cursor: Int64?, limit: Int) async throws -> APIPage<APIUser> {
        try await writer.read { db in
            var conditions = ["u.row_id > ?"]
            var arguments: StatementArguments = [cursor ?? 0]
            if let directoryID = filter.directoryID {
                conditions.append("u.directory_id = ?")
                arguments += [directoryID]
            }
            if let active = filter.active {
                conditions.append("u.active = ?")
                arguments += [active]
            }
            if let email = filter.email {
                conditions.append("u.row_id IN (SELECT user_row FROM scim_user_email WHERE value_key = ?)")
                arguments += [email.lowercased()]
            }
            if let reference = filter.team {
                guard let team = try SQLiteStore.findTeam(db, reference) else { return APIPage(items: [], nextCursor: nil) }
                conditions.append("u.row_id IN (SELECT user_row FROM team_membership WHERE team_id = ?)")
                arguments += [team.id]
            }
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(SQLiteStore.apiUserColumns) FROM scim_user u WHERE \(conditions.joined(separator: " AND ")) ORDER BY u.row_id LIMIT ?",
                arguments: arguments + [limit + 1]
            )
            return try SQLiteStore.userPage(db, rows: rows, limit: limit)
        }
    }

    /// One user.
    public func apiUser(id: String) async throws -> APIUser? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(SQLiteStore.apiUserColumns) FROM scim_user u WHERE u.id = ?", arguments: [id])
            else { return nil }
            return try SQLiteStore.userPage(db, rows: [row], limit: 1).items.first
        }
    }

    /// Groups by row.
    public func apiGroups(directoryID: String?, after cursor: Int64?, limit: Int) async throws -> APIPage<APIGroup> {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.row_id, g.id, g.directory_id, g.display_name, (SELECT COUNT(*) FROM group_member m WHERE m.group_row = g.row_id),
                        g.created_at, g.modified_at
                    FROM scim_group g WHERE g.row_id > ? AND (? IS NULL OR g.directory_id = ?) ORDER BY g.row_id LIMIT ?
                    """,
                arguments: [cursor ?? 0, directoryID, directoryID, limit + 1]
            )
            let items = rows.prefix(limit).map {
                APIGroup(id: $0[1], directoryID: $0[2], displayName: $0[3], memberCount: $0[4], createdAt: $0[5], modifiedAt: $0[6])
            }
            return APIPage(items: items, nextCursor: rows.count > limit ? rows[limit - 1][0] : nil)
        }
    }

    /// A team's members by user row.
    public func apiTeamMembers(team reference: String, after cursor: Int64?, limit: Int) async throws -> APIPage<APIUser>? {
        try await writer.read { db in
            guard let team = try SQLiteStore.findTeam(db, reference) else { return nil }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteStore.apiUserColumns) FROM scim_user u
                    WHERE u.row_id IN (SELECT user_row FROM team_membership WHERE team_id = ?) AND u.row_id > ? ORDER BY u.row_id LIMIT ?
                    """,
                arguments: [team.id, cursor ?? 0, limit + 1]
            )
            return try SQLiteStore.userPage(db, rows: rows, limit: limit)
        }
    }

    /// Removes a manual membership.
    public func removeManualMember(team reference: String, userID: String) async throws -> Bool {
        let timestamp = now()
        return try await commits.write { db in
            guard let team = try SQLiteStore.findTeam(db, reference),
                let userRow = try Int64.fetchOne(db, sql: "SELECT row_id FROM scim_user WHERE id = ?", arguments: [userID])
            else { return false }
            return try TeamSync(db: db, at: timestamp).removeManual(team: team.id, userRow: userRow)
        }
    }

    // MARK: Helpers

    private static let apiUserColumns = "u.row_id, u.id, u.directory_id, u.user_name, u.active, u.document, u.created_at, u.modified_at"

    /// A page of users from up to `limit + 1` rows of ``apiUserColumns``, each with their teams.
    private static func userPage(_ db: Database, rows: [Row], limit: Int) throws -> APIPage<APIUser> {
        let page = Array(rows.prefix(limit))
        var teamsByRow: [Int64: [Team]] = [:]
        if !page.isEmpty {
            let placeholders = Array(repeating: "?", count: page.count).joined(separator: ", ")
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT m.user_row, t.id, t.name, t.slug, t.created_at FROM team_membership m JOIN team t ON t.id = m.team_id
                    WHERE m.user_row IN (\(placeholders)) ORDER BY t.name, t.slug
                    """,
                arguments: StatementArguments(page.map { $0[0] as Int64 })
            ) {
                teamsByRow[row[0], default: []].append(Team(id: row[1], name: row[2], slug: row[3], createdAt: row[4]))
            }
        }
        let items = try page.map { row in
            let active: Bool = row[4]
            let document: String = row[5]
            return APIUser(
                id: row[1],
                directoryID: row[2],
                userName: row[3],
                active: active,
                teams: active ? teamsByRow[row[0] as Int64] ?? [] : [],
                attributes: try JSONParser().parse(document).objectValue ?? JSONObject(),
                createdAt: row[6],
                modifiedAt: row[7]
            )
        }
        return APIPage(items: items, nextCursor: rows.count > limit ? page.last.map { $0[0] as Int64 } : nil)
    }
}
