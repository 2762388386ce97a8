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
    /// The group whose members change, named as after the change (for events and team mappings).
    let group: GroupRef
    /// The time of the change.
    let at: Int64

    /// Applies the changes in order; returns whether the member list changed.
    func apply(_ changes: [MembershipChange]) async throws -> Bool {
        var changed = false
        var index = changes.startIndex
        while index < changes.endIndex {
            let change = changes[index]
            index += 1
            // Okta's one-member PATCH (remove one, add another): both in one statement when they cannot meet.
            if case .remove(let removedIDs) = change, index < changes.endIndex, case .add(let members) = changes[index],
                let swapped = try await swap(removing: removedIDs, adding: members)
            {
                index += 1
                changed = swapped || changed
                continue
            }
            switch change {
            case .add(let members):
                changed = try await add(members.map(\.value), types: members) || changed
            case .remove(let ids):
                changed = try await remove(ids: ids) || changed
            case .removeAll:
                changed = try await remove(rows: nil) || changed
            case .removeMatching(let filter):
                let current = try await currentMembers()
                let removed = Set(MembershipPlan.removedByFilter(filter, current: current.map(\.member)))
                changed = try await remove(rows: current.filter { removed.contains($0.member.value) }.map(\.row)) || changed
            case .replace(let members):
                let wanted = Set(MembershipPlan.candidateIDs(members.map(\.value), types: members))
                let current = try await currentMembers()
                changed = try await remove(rows: current.filter { !wanted.contains($0.member.value) }.map(\.row)) || changed
                changed = try await add(members.map(\.value), types: members) || changed
            }
        }
        return changed
    }

    /// Adds the users of `ids` in the group's directory, in the order given, emitting an event for each who was
    /// not a member yet; unknown ids (and members typed as groups) are skipped and recorded as a warning. One
    /// statement per chunk finds the users, inserts the rows (`ON CONFLICT DO NOTHING`) and reads the teams mapped
    /// to the group's name.
    private func add(_ ids: [String], types: [GroupMember]) async throws -> Bool {
        var found: [String: AddedUser] = [:]
        var mappedTeams: [String] = []
        let candidates = MembershipPlan.candidateIDs(ids, types: types)
        for start in stride(from: 0, to: candidates.count, by: MembershipPlan.chunkSize) {
            let chunk = Array(candidates[start..<min(start + MembershipPlan.chunkSize, candidates.count)])
            let statement = PostgresWriteStatements.AddMembers(
                directoryID: group.directoryID,
                ids: chunk,
                groupRow: group.row,
                groupName: group.displayName
            )
            for (rowID, id, userName, joined, teams) in try await transaction.rows(statement) {
                found[id] = AddedUser(row: rowID, userName: userName, joined: joined)
                mappedTeams = teams
            }
        }
        return try await announceAdded(ids, found: found, mappedTeams: mappedTeams)
    }

    /// Removes the users of `removedIDs` and adds those of `members` in one statement, when that gives what the two
    /// changes in turn would: no id in both, and each list within one chunk. Nil when it does not apply.
    private func swap(removing removedIDs: [String], adding members: [GroupMember]) async throws -> Bool? {
        let ids = members.map(\.value)
        let candidates = MembershipPlan.candidateIDs(ids, types: members)
        guard removedIDs.count <= MembershipPlan.chunkSize, candidates.count <= MembershipPlan.chunkSize,
            Set(removedIDs).isDisjoint(with: candidates)
        else { return nil }
        let statement = PostgresWriteStatements.SwapMembers(
            groupRow: group.row,
            directoryID: group.directoryID,
            removedIDs: removedIDs,
            addedIDs: candidates,
            groupName: group.displayName
        )
        var removed: [(Int64, String, String, [String])] = []
        var found: [String: AddedUser] = [:]
        var mappedTeams: [String] = []
        for (isAdded, rowID, id, userName, joined, teams) in try await transaction.rows(statement) {
            if isAdded {
                found[id] = AddedUser(row: rowID, userName: userName, joined: joined)
                mappedTeams = teams
            } else {
                removed.append((rowID, id, userName, teams))
            }
        }
        let left = try await announceRemoved(removed)
        let joined = try await announceAdded(ids, found: found, mappedTeams: mappedTeams)
        return left || joined
    }

    /// A user found for an add, and whether their membership row is new.
    private struct AddedUser {
        var row: Int64
        var userName: String
        var joined: Bool
    }

    /// Records the warning for unknown ids and emits an event for each user of `ids` (in order, once) who joined,
    /// letting the teams mapped to the group follow.
    private func announceAdded(_ ids: [String], found: [String: AddedUser], mappedTeams: [String]) async throws -> Bool {
        if let warning = MembershipPlan.unknownMembersWarning(
            groupName: group.displayName,
            groupID: group.id,
            unknown: MembershipPlan.unknownIDs(ids, found: Set(found.keys))
        ) {
            try await transaction.execute(
                "INSERT INTO directory_warning (directory_id, at, message) VALUES (\(group.directoryID), \(at), \(warning))"
            )
        }
        var changed = false
        var seen = Set<String>()
        let teams = PostgresTeamSync(transaction: transaction, at: at)
        for id in ids where seen.insert(id).inserted {
            guard let user = found[id], user.joined else { continue }
            changed = true
            event(.added, user: UserIdentity(id: id, userName: user.userName))
            try await teams.memberJoined(userRow: user.row, group: group, teams: mappedTeams)
        }
        return changed
    }

    /// Removes the users of `ids` in the group's directory (those who are members), one statement per chunk.
    private func remove(ids: [String]) async throws -> Bool {
        var removed: [PostgresWriteStatements.RemoveMembers.Row] = []
        for start in stride(from: 0, to: ids.count, by: MembershipPlan.chunkSize) {
            let chunk = Array(ids[start..<min(start + MembershipPlan.chunkSize, ids.count)])
            removed += try await transaction.rows(
                PostgresWriteStatements.RemoveMembers(groupRow: group.row, directoryID: group.directoryID, ids: chunk)
            )
        }
        return try await announceRemoved(removed)
    }

    /// Deletes membership rows (all when `rows` is nil).
    private func remove(rows: [Int64]?) async throws -> Bool {
        var removed: [PostgresRow] = []
        let returning = "RETURNING m.user_row, u.id, u.user_name, \(PostgresWriteStatements.sourcedTeamsSQL)"
        if let rows {
            for start in stride(from: 0, to: rows.count, by: MembershipPlan.chunkSize) {
                let chunk = Array(rows[start..<min(start + MembershipPlan.chunkSize, rows.count)])
                removed += try await transaction.rows(
                    PostgresQuery(
                        unsafeSQL:
                            "DELETE FROM group_member m USING scim_user u WHERE m.group_row = $1 AND m.user_row = ANY($2) AND u.row_id = m.user_row \(returning)",
                        binds: try PostgresBindings.of(group.row, chunk)
                    )
                )
            }
        } else {
            removed = try await transaction.rows(
                PostgresQuery(
                    unsafeSQL: "DELETE FROM group_member m USING scim_user u WHERE m.group_row = $1 AND u.row_id = m.user_row \(returning)",
                    binds: try PostgresBindings.of(group.row)
                )
            )
        }
        return try await announceRemoved(try removed.map { try $0.decode((Int64, String, String, [String]).self) })
    }

    /// Emits an event for each removed member, in row order as SQLite does (`DELETE … RETURNING` gives none), and
    /// withdraws the team memberships the group gave them.
    private func announceRemoved(_ removed: [(Int64, String, String, [String])]) async throws -> Bool {
        let users = removed.sorted { $0.0 < $1.0 }
        let teams = PostgresTeamSync(transaction: transaction, at: at)
        for (row, id, userName, sourcedTeams) in users {
            event(.removed, user: UserIdentity(id: id, userName: userName))
            try await teams.memberLeft(userRow: row, group: group, teams: sourcedTeams)
        }
        return !users.isEmpty
    }

    /// The current members with their rows.
    private func currentMembers() async throws -> [(row: Int64, member: GroupMember)] {
        try await transaction.rows(
            """
            SELECT u.row_id, u.id, u.user_name FROM group_member m JOIN scim_user u ON u.row_id = m.user_row
            WHERE m.group_row = \(group.row) ORDER BY u.row_id
            """
        ).map { row in
            let (rowID, id, userName) = try row.decode((Int64, String, String).self)
            return (rowID, GroupMember(value: id, type: "User", display: userName))
        }
    }

    private func event(_ change: MemberChange, user: UserIdentity) {
        transaction.append(.groupMember(change, group: group.identity, user: user), at: at)
    }
}
