/// One change to a group's member list, as a PATCH or PUT asks for it. A store applies these in order, touching
/// only the rows they name, so a one-member change costs the same whatever the group's size.
public enum MembershipChange: Sendable, Hashable {
    /// Add these members; ones already present stay as they are.
    case add([GroupMember])
    /// Remove the members with these ids; absent ids are ignored.
    case remove([String])
    /// Remove the members matching a value filter whose paths name member sub-attributes (`value`, `type`,
    /// `display`).
    case removeMatching(Filter)
    /// Remove every member.
    case removeAll
    /// Make the member list exactly this (Okta's `replace members`, a PUT with `members`).
    case replace([GroupMember])

    /// Applies the change to an in-memory member list, keeping order.
    public func apply(to members: [GroupMember]) -> [GroupMember] {
        switch self {
        case .add(let added):
            var result = members
            var present = Set(members.map(\.value))
            for member in added where present.insert(member.value).inserted {
                result.append(member)
            }
            return result
        case .remove(let ids):
            let removed = Set(ids)
            return members.filter { !removed.contains($0.value) }
        case .removeMatching(let filter):
            return members.filter { !filter.matchesElement($0.document().objectValue ?? JSONObject(), of: GroupMember.definition) }
        case .removeAll:
            return []
        case .replace(let replacement):
            return MembershipChange.add(replacement).apply(to: [])
        }
    }

    /// Applies a sequence of changes to an in-memory member list.
    public static func apply(_ changes: [MembershipChange], to members: [GroupMember]) -> [GroupMember] {
        changes.reduce(members) { $1.apply(to: $0) }
    }
}

extension GroupMember {
    /// The definition of a Group's `members`, against which member filters resolve.
    static let definition: AttributeDefinition =
        CoreSchemas.group.attribute(named: "members")
        ?? AttributeDefinition("members", type: .complex, multiValued: true, description: "")
}
