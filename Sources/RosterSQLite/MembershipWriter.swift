import GRDB
import RosterCore
import SCIM

/// Applies a group's membership changes row by row: adding or removing one member is one indexed insert or delete,
/// whatever the group's size. Member ids that are not users of the directory are skipped and recorded as warnings
/// (docs/IDP-BEHAVIOURS.md §6.12). Each member who really joins or leaves gets a `group.member_added` or
/// `group.member_removed` event, and the teams mapped to the group follow in the same transaction.
struct MembershipWriter {
    /// The open transaction.
    let db: Database
    /// The group whose members change, named as after the change (for events and team mappings).
    let group: GroupRef
    /// The time of the change.
    let at: Int64

    /// The largest number of ids bound in one statement.
    private static let chunkSize = MembershipPlan.chunkSize

    /// Applies the changes in order; returns whether the member list changed.
    func apply(_ changes: [MembershipChange]) throws -> Bool {
        var changed = false
        for change in changes {
            switch change {
            case .add(let members):
                changed = try add(members) || changed
            case .remove(let ids):
                let rows = try userRows(for: ids, warnUnknown: false)
                changed = try remove(rows.map(\.row)) || changed
            case .removeAll:
                changed = try remove(nil) || changed
            case .removeMatching(let filter):
                let current = try currentMembers()
                let removed = Set(MembershipPlan.removedByFilter(filter, current: current.map(\.member)))
                changed = try remove(current.filter { removed.contains($0.member.value) }.map(\.row)) || changed
            case .replace(let members):
                let wanted = try userRows(for: members.map(\.value), warnUnknown: true, types: members)
                let wantedRows = Set(wanted.map(\.row))
                let current = try currentMembers()
                let currentRows = Set(current.map(\.row))
                changed = try remove(current.map(\.row).filter { !wantedRows.contains($0) }) || changed
                changed = try insert(wanted.filter { !currentRows.contains($0.row) }) || changed
            }
        }
        return changed
    }

    private func add(_ members: [GroupMember]) throws -> Bool {
        try insert(try userRows(for: members.map(\.value), warnUnknown: true, types: members))
    }

    /// Inserts membership rows, emitting an event for each that was not there yet.
    private func insert(_ users: [(row: Int64, id: String, userName: String)]) throws -> Bool {
        var changed = false
        for user in users {
            try db.executeCached(
                sql: "INSERT OR IGNORE INTO group_member (group_row, user_row) VALUES (?, ?)",
                arguments: [group.row, user.row]
            )
            if db.changesCount > 0 {
                changed = true
                try event(.added, userID: user.id, userName: user.userName)
                try TeamSync(db: db, at: at).memberJoined(userRow: user.row, group: group)
            }
        }
        return changed
    }

    /// Deletes membership rows (all when `rows` is nil), emitting an event for each that existed.
    private func remove(_ rows: [Int64]?) throws -> Bool {
        var removed: [Row] = []
        if let rows {
            for chunk in rows.chunked(MembershipWriter.chunkSize) where !chunk.isEmpty {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                removed += try Row.fetchAll(
                    db,
                    sql: """
                        DELETE FROM group_member WHERE group_row = ? AND user_row IN (\(marks))
                        RETURNING user_row, (SELECT id FROM scim_user WHERE row_id = user_row), (SELECT user_name FROM scim_user WHERE row_id = user_row)
                        """,
                    arguments: StatementArguments([group.row] + chunk)
                )
            }
        } else {
            removed = try Row.fetchAll(
                db,
                sql: """
                    DELETE FROM group_member WHERE group_row = ?
                    RETURNING user_row, (SELECT id FROM scim_user WHERE row_id = user_row), (SELECT user_name FROM scim_user WHERE row_id = user_row)
                    """,
                arguments: [group.row]
            )
        }
        let teams = TeamSync(db: db, at: at)
        for row in removed {
            try event(.removed, userID: row[1], userName: row[2])
            try teams.memberLeft(userRow: row[0], group: group)
        }
        return !removed.isEmpty
    }

    /// The current members with their rows.
    private func currentMembers() throws -> [(row: Int64, member: GroupMember)] {
        try Row.fetchAll(
            db,
            sql: "SELECT u.row_id, u.id, u.user_name FROM group_member m JOIN scim_user u ON u.row_id = m.user_row WHERE m.group_row = ?",
            arguments: [group.row]
        ).map { ($0[0], GroupMember(value: $0[1], type: "User", display: $0[2])) }
    }

    /// The user rows of `ids` in the group's directory, in the order given; unknown ids (and members typed as
    /// groups, which Roster does not nest) are skipped and, when `warnUnknown`, recorded.
    private func userRows(
        for ids: [String],
        warnUnknown: Bool,
        types: [GroupMember] = []
    ) throws -> [(row: Int64, id: String, userName: String)] {
        var found: [String: (row: Int64, id: String, userName: String)] = [:]
        for chunk in MembershipPlan.candidateIDs(ids, types: types).chunked(MembershipWriter.chunkSize) where !chunk.isEmpty {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for row in try Row.fetchAll(
                db,
                sql: "SELECT row_id, id, user_name FROM scim_user WHERE directory_id = ? AND id IN (\(marks))",
                arguments: StatementArguments([group.directoryID] + chunk)
            ) {
                found[row[1]] = (row[0], row[1], row[2])
            }
        }
        if warnUnknown,
            let warning = MembershipPlan.unknownMembersWarning(
                groupName: group.displayName,
                groupID: group.id,
                unknown: MembershipPlan.unknownIDs(ids, found: Set(found.keys))
            )
        {
            try recordWarning(warning)
        }
        var seen = Set<String>()
        return ids.compactMap { id in seen.insert(id).inserted ? found[id] : nil }
    }

    private func event(_ change: MemberChange, userID: String, userName: String) throws {
        try EventOutbox.append(db, .groupMember(change, group: group.identity, user: UserIdentity(id: userID, userName: userName)), at: at)
    }

    /// Records something the change skipped (an unknown member id) for the admin to see, in the same transaction.
    private func recordWarning(_ message: String) throws {
        try db.execute(
            sql: "INSERT INTO directory_warning (directory_id, at, message) VALUES (?, ?, ?)",
            arguments: [group.directoryID, at, message]
        )
    }
}

extension Array {
    /// The array cut into consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
