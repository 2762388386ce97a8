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

    /// A team's people, keyed by each person's first user row in the team. A user row starts a person when no
    /// earlier row of the same `person_email` is in the team (one probe of the person index each); the rest of the
    /// page's people are then read by email, so a page costs the same in a team of 5 or of 50 000.
    public func apiTeamMembers(team reference: String, after cursor: Int64?, limit: Int) async throws -> APIPage<APITeamPerson>? {
        try await writer.read { db in
            guard let team = try SQLiteStore.findTeam(db, reference) else { return nil }
            let firsts = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteStore.apiUserColumns), u.person_email FROM scim_user u
                    WHERE u.row_id IN (SELECT user_row FROM team_membership WHERE team_id = ?1) AND u.row_id > ?2
                        AND (u.person_email IS NULL OR NOT EXISTS (
                            SELECT 1 FROM scim_user p JOIN team_membership pt ON pt.user_row = p.row_id AND pt.team_id = ?1
                            WHERE p.person_email = u.person_email AND p.row_id < u.row_id))
                    ORDER BY u.row_id LIMIT ?3
                    """,
                arguments: [team.id, cursor ?? 0, limit + 1]
            )
            let page = Array(firsts.prefix(limit))
            let emails = page.compactMap { $0[8] as String? }
            var rows = page
            if !emails.isEmpty {
                let placeholders = Array(repeating: "?", count: emails.count).joined(separator: ", ")
                let firstRows = Set(page.map { $0[0] as Int64 })
                rows += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(SQLiteStore.apiUserColumns), u.person_email FROM scim_user u
                        WHERE u.person_email IN (\(placeholders)) AND u.row_id IN (SELECT user_row FROM team_membership WHERE team_id = ?)
                        ORDER BY u.row_id
                        """,
                    arguments: StatementArguments(emails) + [team.id]
                ).filter { !firstRows.contains($0[0]) }
            }
            let users = try SQLiteStore.userPage(db, rows: rows, limit: rows.count).items
            let sources = try SQLiteStore.teamSources(db, teamID: team.id, userRows: rows.map { $0[0] })
            let memberships = zip(rows, users).map { row, user in
                (email: row[8] as String?, membership: APITeamMembership(user: user, sources: sources[row[0] as Int64] ?? []))
            }
            let people = PersonIdentity.grouping(memberships, by: \.email).map { person in
                APITeamPerson(email: person.email, members: person.items.map(\.membership))
            }
            return APIPage(items: people, nextCursor: firsts.count > limit ? page.last.map { $0[0] as Int64 } : nil)
        }
    }

    /// Removes a manual membership, with its audit entry in the same transaction; false (and no entry) when there
    /// was none.
    public func removeManualMember(team reference: String, userID: String, by actor: AuditActor) async throws -> Bool {
        let timestamp = now()
        return try await commits.write { db in
            guard let team = try SQLiteStore.findTeam(db, reference),
                let user = try Row.fetchOne(db, sql: "SELECT row_id, user_name FROM scim_user WHERE id = ?", arguments: [userID])
            else { return false }
            guard try TeamSync(db: db, at: timestamp).removeManual(team: team.id, userRow: user[0]) else { return false }
            try AuditTrail.append(db, .memberRemoved(team, user: UserIdentity(id: userID, userName: user[1]), by: actor), at: timestamp)
            return true
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
                teams: teamsByRow[row[0] as Int64] ?? [],
                attributes: try ResourceDocument.attributes(of: document, id: row[1]),
                createdAt: row[6],
                modifiedAt: row[7]
            )
        }
        return APIPage(items: items, nextCursor: rows.count > limit ? page.last.map { $0[0] as Int64 } : nil)
    }

    /// What holds each of `userRows` in the team: its source groups, and a manual addition.
    private static func teamSources(_ db: Database, teamID: String, userRows: [Int64]) throws -> [Int64: [TeamMembershipSource]] {
        guard !userRows.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: userRows.count).joined(separator: ", ")
        var sources: [Int64: [TeamMembershipSource]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT m.user_row, g.id, g.display_name FROM team_membership m LEFT JOIN scim_group g ON g.row_id = m.source_group_row
                WHERE m.team_id = ? AND m.user_row IN (\(placeholders)) ORDER BY m.user_row, m.source_group_row
                """,
            arguments: StatementArguments([teamID]) + StatementArguments(userRows)
        ) {
            sources[row[0], default: []].append(TeamMembershipSource(groupID: row[1], displayName: row[2]))
        }
        return sources
    }
}
