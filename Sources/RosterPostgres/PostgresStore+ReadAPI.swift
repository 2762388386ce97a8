import PostgresNIO
import RosterCore
import SCIM

/// The read API's queries (``ReadAPIStore``, but for ``removeManualMember(team:userID:by:)``, which lives with the team
/// writes), keyset-paginated on `row_id` with the SQLite store's results and order.
extension PostgresStore {
    /// Users by row, filtered.
    public func apiUsers(filter: APIUserFilter, after cursor: Int64?, limit: Int) async throws -> APIPage<APIUser> {
        let limit = max(limit, 0)
        return try await read { reader in
            var conditions = ["u.row_id > $1"]
            var binds = PostgresBindings()
            binds.append(cursor ?? 0)
            if let directoryID = filter.directoryID { conditions.append("u.directory_id = \(binds.placeholder(directoryID))") }
            if let active = filter.active { conditions.append("u.active = \(binds.placeholder(active))") }
            if let email = filter.email {
                let parameter = binds.placeholder(email.lowercased())
                conditions.append("u.row_id IN (SELECT user_row FROM scim_user_email WHERE value_key = \(parameter))")
            }
            if let reference = filter.team {
                guard let team = try await PostgresStore.findTeam(reader, reference) else { return APIPage(items: [], nextCursor: nil) }
                let parameter = binds.placeholder(team.id)
                conditions.append("u.row_id IN (SELECT user_row FROM team_membership WHERE team_id = \(parameter))")
            }
            binds.append(limit + 1)
            let rows = try await reader.rows(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT \(PostgresStore.apiUserColumns) FROM scim_user u WHERE \(conditions.joined(separator: " AND "))
                        ORDER BY u.row_id LIMIT $\(binds.count)
                        """,
                    binds: binds
                )
            ).map(APIUserRow.init(row:))
            return try await PostgresStore.userPage(reader, rows: rows, limit: limit)
        }
    }

    /// One user.
    public func apiUser(id: String) async throws -> APIUser? {
        try await read { reader in
            let query: PostgresQuery = "SELECT \(unescaped: PostgresStore.apiUserColumns) FROM scim_user u WHERE u.id = \(id)"
            guard let row = try await reader.first(query).map(APIUserRow.init(row:)) else { return nil }
            return try await PostgresStore.userPage(reader, rows: [row], limit: 1).items.first
        }
    }

    /// Groups by row.
    public func apiGroups(directoryID: String?, after cursor: Int64?, limit: Int) async throws -> APIPage<APIGroup> {
        let columns = """
            SELECT g.row_id, g.id, g.directory_id, g.display_name, (SELECT COUNT(*) FROM group_member m WHERE m.group_row = g.row_id),
                g.created_at, g.modified_at
            FROM scim_group g
            """
        let limit = max(limit, 0)
        let fetched = limit + 1
        let query: PostgresQuery =
            if let directoryID {
                "\(unescaped: columns) WHERE g.row_id > \(cursor ?? 0) AND g.directory_id = \(directoryID) ORDER BY g.row_id LIMIT \(fetched)"
            } else {
                "\(unescaped: columns) WHERE g.row_id > \(cursor ?? 0) ORDER BY g.row_id LIMIT \(fetched)"
            }
        return try await read { reader in
            let rows = try await reader.rows(query).map { try $0.decode((Int64, String, String, String, Int64, Int64, Int64).self) }
            let page = rows.prefix(limit)
            let items = page.map { _, id, directoryID, displayName, members, createdAt, modifiedAt in
                APIGroup(
                    id: id,
                    directoryID: directoryID,
                    displayName: displayName,
                    memberCount: Int(members),
                    createdAt: createdAt,
                    modifiedAt: modifiedAt
                )
            }
            return APIPage(items: Array(items), nextCursor: rows.count > limit ? page.last?.0 : nil)
        }
    }

    /// A team's people, keyed by each person's first user row in the team. A user row starts a person when no
    /// earlier row of the same `person_email` is in the team (one probe of the person index each); the rest of the
    /// page's people are then read by email, so a page costs the same in a team of 5 or of 50 000.
    public func apiTeamMembers(team reference: String, after cursor: Int64?, limit: Int) async throws -> APIPage<APITeamPerson>? {
        let limit = max(limit, 0)
        return try await read { reader in
            guard let team = try await PostgresStore.findTeam(reader, reference) else { return nil }
            let firsts = try await reader.rows(
                """
                SELECT \(unescaped: PostgresStore.apiUserColumns), u.person_email FROM scim_user u
                WHERE u.row_id IN (SELECT user_row FROM team_membership WHERE team_id = \(team.id)) AND u.row_id > \(cursor ?? 0)
                    AND (u.person_email IS NULL OR NOT EXISTS (
                        SELECT 1 FROM scim_user p JOIN team_membership pt ON pt.user_row = p.row_id AND pt.team_id = \(team.id)
                        WHERE p.person_email = u.person_email AND p.row_id < u.row_id))
                ORDER BY u.row_id LIMIT \(limit + 1)
                """
            ).map(APIUserRow.init(row:))
            let page = Array(firsts.prefix(limit))
            let emails = page.compactMap(\.personEmail)
            var rows = page
            if !emails.isEmpty {
                let firstRows = Set(page.map(\.rowID))
                rows += try await reader.rows(
                    """
                    SELECT \(unescaped: PostgresStore.apiUserColumns), u.person_email FROM scim_user u
                    WHERE u.person_email = ANY(\(emails)) AND u.row_id IN (SELECT user_row FROM team_membership WHERE team_id = \(team.id))
                    ORDER BY u.row_id
                    """
                ).map(APIUserRow.init(row:)).filter { !firstRows.contains($0.rowID) }
            }
            let users = try await PostgresStore.userPage(reader, rows: rows, limit: rows.count).items
            let sources = try await PostgresStore.teamSources(reader, teamID: team.id, userRows: rows.map(\.rowID))
            let memberships = zip(rows, users).map { row, user in
                (email: row.personEmail, membership: APITeamMembership(user: user, sources: sources[row.rowID] ?? []))
            }
            let people = PersonIdentity.grouping(memberships, by: \.email).map { person in
                APITeamPerson(email: person.email, members: person.items.map(\.membership))
            }
            return APIPage(items: people, nextCursor: firsts.count > limit ? page.last?.rowID : nil)
        }
    }

    // MARK: Helpers

    /// The user columns the read API reads, in the order ``APIUserRow`` decodes them (`person_email` may follow).
    private static let apiUserColumns = "u.row_id, u.id, u.directory_id, u.user_name, u.active, u.document, u.created_at, u.modified_at"

    /// A page of users from up to `limit + 1` rows, each with their teams by name, then slug (bytewise).
    private static func userPage(_ reader: PostgresReader, rows: [APIUserRow], limit: Int) async throws -> APIPage<APIUser> {
        let page = Array(rows.prefix(limit))
        var teamsByRow: [Int64: [Team]] = [:]
        if !page.isEmpty {
            for row in try await reader.rows(
                """
                SELECT m.user_row, t.id, t.name, t.slug, t.created_at
                FROM (SELECT DISTINCT user_row, team_id FROM team_membership WHERE user_row = ANY(\(page.map(\.rowID)))) m
                JOIN team t ON t.id = m.team_id ORDER BY t.name COLLATE "C", t.slug COLLATE "C"
                """
            ) {
                let (userRow, id, name, slug, createdAt) = try row.decode((Int64, String, String, String, Int64).self)
                teamsByRow[userRow, default: []].append(Team(id: id, name: name, slug: slug, createdAt: createdAt))
            }
        }
        let items = try page.map { row in
            APIUser(
                id: row.id,
                directoryID: row.directoryID,
                userName: row.userName,
                active: row.active,
                teams: teamsByRow[row.rowID] ?? [],
                attributes: try ResourceDocument.attributes(of: row.document, id: row.id),
                createdAt: row.createdAt,
                modifiedAt: row.modifiedAt
            )
        }
        return APIPage(items: items, nextCursor: rows.count > limit ? page.last?.rowID : nil)
    }

    /// What holds each of `userRows` in the team: its source groups by row, after a manual addition.
    private static func teamSources(_ reader: PostgresReader, teamID: String, userRows: [Int64]) async throws -> [Int64: [TeamMembershipSource]] {
        guard !userRows.isEmpty else { return [:] }
        var sources: [Int64: [TeamMembershipSource]] = [:]
        for row in try await reader.rows(
            """
            SELECT m.user_row, g.id, g.display_name FROM team_membership m LEFT JOIN scim_group g ON g.row_id = m.source_group_row
            WHERE m.team_id = \(teamID) AND m.user_row = ANY(\(userRows)) ORDER BY m.user_row, m.source_group_row NULLS FIRST
            """
        ) {
            let (userRow, groupID, displayName) = try row.decode((Int64, String?, String?).self)
            sources[userRow, default: []].append(TeamMembershipSource(groupID: groupID, displayName: displayName))
        }
        return sources
    }
}

/// A user row as the read API reads it: ``PostgresStore/apiUserColumns``, then `person_email` when selected.
private struct APIUserRow {
    /// The internal row id, the pagination key.
    var rowID: Int64
    /// The SCIM id.
    var id: String
    /// The directory.
    var directoryID: String
    /// `userName`.
    var userName: String
    /// Whether the user is active.
    var active: Bool
    /// The stored SCIM document.
    var document: String
    /// Created, in milliseconds since 1970.
    var createdAt: Int64
    /// Last changed, in milliseconds since 1970.
    var modifiedAt: Int64
    /// The person the user is (``PersonIdentity``), when the query selected it.
    var personEmail: String?

    /// Decodes the user columns, and `person_email` when the row has a ninth column.
    init(row: PostgresRow) throws {
        let columns = row.makeRandomAccess()
        rowID = try columns[0].decode(Int64.self)
        id = try columns[1].decode(String.self)
        directoryID = try columns[2].decode(String.self)
        userName = try columns[3].decode(String.self)
        active = try columns[4].decode(Bool.self)
        document = try columns[5].decode(String.self)
        createdAt = try columns[6].decode(Int64.self)
        modifiedAt = try columns[7].decode(Int64.self)
        personEmail = columns.count > 8 ? try columns[8].decode(String?.self) : nil
    }
}
