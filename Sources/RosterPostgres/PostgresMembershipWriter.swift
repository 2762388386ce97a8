import PostgresNIO
import RosterCore
import SCIM

/// Applies a group's membership changes row by row in PostgreSQL: adding or removing one member is one indexed
/// insert or delete, whatever the group's size. The plans (candidate ids, filter removals, the warning for unknown
/// ids) are ``MembershipPlan``'s; each member who really joins or leaves (`ON CONFLICT DO NOTHING RETURNING`,
/// `DELETE … RETURNING`) gets a `group.member_added` or `group.member_removed` event, and the mapped teams follow
/// in the same transaction.
struct PostgresMembershipWriter {
    /// The open transaction (the group's row is locked by the caller).
    let transaction: PostgresTransaction
    /// The group whose members change.
    let group: PostgresResourceRow
    /// The group's display name after the change, for events.
    let groupName: String
    /// The time of the change.
    let at: Int64

    private var groupRef: GroupRef {
        GroupRef(row: group.rowID, id: group.id, directoryID: group.directoryID, displayName: groupName)
    }

    private typealias UserRow = (row: Int64, id: String, userName: String)

    /// Applies the changes in order; returns whether the member list changed.
    func apply(_ changes: [MembershipChange]) async throws -> Bool {
        var changed = false
        for change in changes {
            switch change {
            case .add(let members):
                changed = try await insert(try await userRows(for: members.map(\.value), warnUnknown: true, types: members)) || changed
            case .remove(let ids):
                changed = try await remove(try await userRows(for: ids, warnUnknown: false).map(\.row)) || changed
            case .removeAll:
                changed = try await remove(nil) || changed
            case .removeMatching(let filter):
                let current = try await currentMembers()
                let removed = Set(MembershipPlan.removedByFilter(filter, current: current.map(\.member)))
                changed = try await remove(current.filter { removed.contains($0.member.value) }.map(\.row)) || changed
            case .replace(let members):
                let wanted = try await userRows(for: members.map(\.value), warnUnknown: true, types: members)
                let wantedRows = Set(wanted.map(\.row))
                let current = try await currentMembers()
                let currentRows = Set(current.map(\.row))
                changed = try await remove(current.map(\.row).filter { !wantedRows.contains($0) }) || changed
                changed = try await insert(wanted.filter { !currentRows.contains($0.row) }) || changed
            }
        }
        return changed
    }

    /// Inserts membership rows, emitting an event for each that was not there yet.
    private func insert(_ users: [UserRow]) async throws -> Bool {
        var changed = false
        let teams = PostgresTeamSync(transaction: transaction, at: at)
        for user in users {
            let inserted = try await transaction.rows(
                "INSERT INTO group_member (group_row, user_row) VALUES (\(group.rowID), \(user.row)) ON CONFLICT DO NOTHING RETURNING 1"
            )
            guard !inserted.isEmpty else { continue }
            changed = true
            event(.added, user: UserIdentity(id: user.id, userName: user.userName))
            try await teams.memberJoined(userRow: user.row, group: groupRef)
        }
        return changed
    }

    /// Deletes membership rows (all when `rows` is nil), emitting an event for each that existed.
    private func remove(_ rows: [Int64]?) async throws -> Bool {
        var removed: [PostgresRow] = []
        let returning =
            "RETURNING m.user_row, (SELECT id FROM scim_user WHERE row_id = m.user_row), (SELECT user_name FROM scim_user WHERE row_id = m.user_row)"
        if let rows {
            for start in stride(from: 0, to: rows.count, by: MembershipPlan.chunkSize) {
                let chunk = Array(rows[start..<min(start + MembershipPlan.chunkSize, rows.count)])
                removed += try await transaction.rows(
                    PostgresQuery(
                        unsafeSQL: "DELETE FROM group_member m WHERE m.group_row = $1 AND m.user_row = ANY($2) \(returning)",
                        binds: try PostgresStore.bindings(group.rowID, chunk)
                    )
                )
            }
        } else {
            removed = try await transaction.rows(
                PostgresQuery(
                    unsafeSQL: "DELETE FROM group_member m WHERE m.group_row = $1 \(returning)",
                    binds: try PostgresStore.bindings(group.rowID)
                )
            )
        }
        // DELETE … RETURNING gives no order; announce in row order, as SQLite does.
        let users = try removed.map { try $0.decode((Int64, String, String).self) }.sorted { $0.0 < $1.0 }
        let teams = PostgresTeamSync(transaction: transaction, at: at)
        for (row, id, userName) in users {
            event(.removed, user: UserIdentity(id: id, userName: userName))
            try await teams.memberLeft(userRow: row, group: groupRef)
        }
        return !users.isEmpty
    }

    /// The current members with their rows.
    private func currentMembers() async throws -> [(row: Int64, member: GroupMember)] {
        try await transaction.rows(
            """
            SELECT u.row_id, u.id, u.user_name FROM group_member m JOIN scim_user u ON u.row_id = m.user_row
            WHERE m.group_row = \(group.rowID) ORDER BY u.row_id
            """
        ).map { row in
            let (rowID, id, userName) = try row.decode((Int64, String, String).self)
            return (rowID, GroupMember(value: id, type: "User", display: userName))
        }
    }

    /// The user rows of `ids` in the group's directory, in the order given; unknown ids (and members typed as
    /// groups) are skipped and, when `warnUnknown`, recorded.
    private func userRows(for ids: [String], warnUnknown: Bool, types: [GroupMember] = []) async throws -> [UserRow] {
        var found: [String: UserRow] = [:]
        let candidates = MembershipPlan.candidateIDs(ids, types: types)
        for start in stride(from: 0, to: candidates.count, by: MembershipPlan.chunkSize) {
            let chunk = Array(candidates[start..<min(start + MembershipPlan.chunkSize, candidates.count)])
            for row in try await transaction.rows(
                PostgresQuery(
                    unsafeSQL: "SELECT row_id, id, user_name FROM scim_user WHERE directory_id = $1 AND id = ANY($2)",
                    binds: try PostgresStore.bindings(group.directoryID, chunk)
                )
            ) {
                let user = try row.decode((Int64, String, String).self)
                found[user.1] = (user.0, user.1, user.2)
            }
        }
        if warnUnknown,
            let warning = MembershipPlan.unknownMembersWarning(
                groupName: groupName,
                groupID: group.id,
                unknown: MembershipPlan.unknownIDs(ids, found: Set(found.keys))
            )
        {
            try await PostgresStore.recordWarning(transaction, directoryID: group.directoryID, at: at, message: warning)
        }
        var seen = Set<String>()
        return ids.compactMap { id in seen.insert(id).inserted ? found[id] : nil }
    }

    private func event(_ change: MemberChange, user: UserIdentity) {
        let identity = GroupIdentity(id: group.id, directoryID: group.directoryID, displayName: groupName)
        transaction.append(.groupMember(change, group: identity, user: user), at: at)
    }
}
