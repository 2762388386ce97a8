import SCIM

/// The values a resource's indexed columns take, derived from its stored attributes. Case-insensitive attributes
/// are stored lowercased in `…_key` columns so that lookups use the index. Every store writes the same values.
public struct IndexedColumns: Sendable {
    /// `userName` as sent.
    public var userName = ""
    /// `userName` lowercased (unique per directory).
    public var userNameKey = ""
    /// `displayName` as sent (groups).
    public var displayName = ""
    /// `displayName` lowercased.
    public var displayNameKey: String?
    /// `externalId`, case-sensitive.
    public var externalID: String?
    /// `active`; absent counts as true.
    public var active = true
    /// Each email's value and type, lowercased.
    public var emails: [(value: String, type: String?)] = []
    /// The email that names the person the user is (``PersonIdentity``), lowercased.
    public var personEmail: String?

    /// The columns of a user.
    public static func user(_ attributes: JSONObject) -> IndexedColumns {
        var columns = IndexedColumns()
        columns.userName = attributes["userName"]?.stringValue ?? ""
        columns.userNameKey = columns.userName.lowercased()
        columns.displayNameKey = attributes["displayName"]?.stringValue?.lowercased()
        columns.externalID = attributes["externalId"]?.stringValue
        columns.active = attributes["active"]?.boolValue ?? true
        columns.emails = (attributes["emails"]?.arrayValue ?? []).compactMap { email in
            guard let object = email.objectValue, let value = object["value"]?.stringValue else { return nil }
            return (value.lowercased(), object["type"]?.stringValue?.lowercased())
        }
        columns.personEmail = PersonIdentity.email(of: attributes)
        return columns
    }

    /// The columns of a group.
    public static func group(_ attributes: JSONObject) -> IndexedColumns {
        var columns = IndexedColumns()
        columns.displayName = attributes["displayName"]?.stringValue ?? ""
        columns.displayNameKey = columns.displayName.lowercased()
        columns.externalID = attributes["externalId"]?.stringValue
        return columns
    }
}
