/// What a PATCH or PUT did: the new attributes, which top-level attributes really changed, and the membership
/// changes for a store to apply row by row.
public struct PatchResult: Sendable, Hashable {
    /// The resource's stored attributes after the change.
    public var attributes: JSONObject
    /// The top-level attributes (canonical names, extension URNs) whose value changed; empty when nothing did, so
    /// `meta.lastModified` stays.
    public var changedAttributes: [String]
    /// The changes to detached members (group `members`), in order.
    public var membershipChanges: [MembershipChange]

    /// Makes a result.
    public init(attributes: JSONObject, changedAttributes: [String], membershipChanges: [MembershipChange]) {
        self.attributes = attributes
        self.changedAttributes = changedAttributes
        self.membershipChanges = membershipChanges
    }

    /// Whether any stored attribute changed.
    public var attributesChanged: Bool { !changedAttributes.isEmpty }

    /// The top-level attributes whose value differs between two documents, in the order of `after` then `before`.
    static func changedAttributes(from before: JSONObject, to after: JSONObject) -> [String] {
        var changed = after.keys.filter { before[$0] != after[$0] }
        changed += before.keys.filter { after[$0] == nil }
        return changed
    }
}
