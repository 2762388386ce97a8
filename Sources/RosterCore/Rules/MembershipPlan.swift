import SCIM

/// The decisions of a group membership change that do not need the database: which member ids are candidates,
/// which current members a filter or a replacement removes, and the warning for ids that are not users of the
/// directory (docs/IDP-BEHAVIOURS.md §6.12: skipped and recorded, never a failure). Stores look rows up and insert or
/// delete them.
public enum MembershipPlan {
    /// The largest number of ids a store binds in one statement.
    public static let chunkSize = 500

    /// The ids worth looking up, in order without repeats: members typed as groups are dropped, because Roster
    /// does not nest groups.
    public static func candidateIDs(_ ids: [String], types members: [GroupMember] = []) -> [String] {
        let nested = Set(members.filter { $0.type?.lowercased() == "group" }.map(\.value))
        var seen = Set<String>()
        return ids.filter { !nested.contains($0) && seen.insert($0).inserted }
    }

    /// The ids of `requested` (in order, without repeats) that `found` does not contain.
    public static func unknownIDs(_ requested: [String], found: Set<String>) -> [String] {
        var seen = Set<String>()
        return requested.filter { !found.contains($0) && seen.insert($0).inserted }
    }

    /// The values of the current members a `removeMatching` filter removes.
    public static func removedByFilter(_ filter: Filter, current: [GroupMember]) -> [String] {
        let kept = Set(MembershipChange.removeMatching(filter).apply(to: current).map(\.value))
        return current.map(\.value).filter { !kept.contains($0) }
    }

    /// The warning recorded when a group change names member ids that are not users of the directory; nil when
    /// there are none. At most 20 ids are quoted.
    public static func unknownMembersWarning(groupName: String, groupID: String, unknown: [String]) -> String? {
        guard !unknown.isEmpty else { return nil }
        let shown = unknown.prefix(20).map { "\"\($0)\"" }.joined(separator: ", ")
        let more = unknown.count > 20 ? " and \(unknown.count - 20) more" : ""
        return "group \"\(groupName)\" (\(groupID)): skipped member ids that are not users of this directory: \(shown)\(more)"
    }
}
