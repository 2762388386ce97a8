/// A group as a store's membership writes and team synchronisation see it: its row, its id and directory, and its
/// display name after the change at hand (what events and team mappings name).
public struct GroupRef: Sendable, Hashable {
    /// The group's row.
    public var row: Int64
    /// The group's SCIM id.
    public var id: String
    /// The group's directory.
    public var directoryID: String
    /// The group's current display name.
    public var displayName: String

    /// Makes a reference.
    public init(row: Int64, id: String, directoryID: String, displayName: String) {
        self.row = row
        self.id = id
        self.directoryID = directoryID
        self.displayName = displayName
    }

    /// The group as events name it.
    public var identity: GroupIdentity {
        GroupIdentity(id: id, directoryID: directoryID, displayName: displayName)
    }
}

extension ResourceRecord {
    /// This group row as team synchronisation sees it, named `displayName` (its name after the change at hand).
    public func groupRef(displayName: String) -> GroupRef {
        GroupRef(row: rowID, id: id, directoryID: directoryID, displayName: displayName)
    }
}
