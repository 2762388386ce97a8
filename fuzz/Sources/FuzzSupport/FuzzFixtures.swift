import SCIM

/// The fixed resources the fuzzers work on, in the forms the store keeps (stored attributes, without `id`, `meta` or
/// detached members) and renders (what filters are evaluated against). The user has a value of every attribute type
/// and of each multi-valued attribute, so filters, value paths and PATCH operations find something to match.
public enum FuzzFixtures {
    /// The id of ``user``.
    public static let userID = "2819c223-7f76-453a-919d-413861904646"

    /// A user as Entra and Okta leave it (docs/IDP-BEHAVIOURS.md §1.5, §2.2): names, two emails, phones, an address,
    /// roles with a string-born boolean, a certificate, the enterprise extension with a manager, and an unknown
    /// attribute.
    public static let user = object(
        #"""
        {"externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"bjensen@example.com","active":true,
         "name":{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara","middleName":"Jane",
          "honorificPrefix":"Ms.","honorificSuffix":"III"},
         "displayName":"Babs Jensen","nickName":"Babs","profileUrl":"https://login.example.com/bjensen","title":"Tour Guide",
         "userType":"Employee","preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles",
         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
         "phoneNumbers":[{"value":"555-555-5555","type":"work"},{"value":"55555555555","type":"mobile","primary":true}],
         "ims":[{"value":"someaimhandle","type":"aim"}],
         "photos":[{"value":"https://photos.example.com/profilephoto/72930000000Ccne/F","type":"photo"}],
         "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood","region":"CA",
          "postalCode":"91608","country":"US","formatted":"100 Universal City Plaza\nHollywood, CA 91608 USA","primary":true}],
         "entitlements":[{"value":"Premium"}],"roles":[{"value":"admin","primary":true},{"value":"auditor"}],
         "x509Certificates":[{"value":"MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","costCenter":"4130",
          "organization":"Universal Studios","division":"Theme Park","department":"Tour Operations",
          "manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d","displayName":"John Smith"}},
         "x-custom-flag":"kept as sent"}
        """#
    )

    /// A user with only the required `userName`, so PATCH value paths have to create their entries
    /// (docs/IDP-BEHAVIOURS.md §6.5).
    public static let bareUser = object(#"{"userName":"Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"}"#)

    /// The id of ``bareUser``.
    public static let bareUserID = "00aa00aa-bb11-cc22-dd33-44ee44ee44ee"

    /// The id of ``group``.
    public static let groupID = "e9e30dba-f08f-4109-8486-d5c6a331660a"

    /// A group's stored attributes; its members are kept apart, in ``groupMembers``.
    public static let group = object(#"{"displayName":"Tour Guides","externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"}"#)

    /// The members of ``group``: users and a nested group, as Okta, Entra and JumpCloud name them.
    public static let groupMembers = [
        GroupMember(value: userID, type: "User", display: "Babs Jensen"),
        GroupMember(value: "902c246b-6245-4190-8e05-00816be7344a", type: "User", display: "Mandy Pepperidge"),
        GroupMember(value: "23a35c27-23d3-4c03-b4c5-6443c09e7173", display: "test.user@okta.local"),
        GroupMember(value: "f648f8d5ea4e4cd38e9c"),
        GroupMember(value: "6c5bb468-14b2-4183-baf2-06d523e03bd3", type: "Group", display: "Guides (contractors)"),
    ]

    /// The groups ``user`` belongs to, as the store derives them.
    public static let userGroups = JSONValue.array([
        .object(JSONObject([("value", .string(groupID)), ("display", "Tour Guides"), ("type", "direct")]))
    ])

    /// The rendered user (with `id`, `meta` and derived `groups`), as the store evaluates filters against it.
    public static let renderedUser = ResourceRenderer.render(
        schema: .user,
        id: userID,
        attributes: user,
        derived: JSONObject([("groups", userGroups)]),
        meta: meta("Users", userID)
    )

    /// The rendered group with its members.
    public static let renderedGroup = renderedGroup(attributes: group, members: groupMembers)

    /// The users a PATCH is applied to, with their ids: the full one and the bare one.
    public static let users: [(id: String, attributes: JSONObject)] = [(userID, user), (bareUserID, bareUser)]

    /// The two resource types with their rendered fixtures, as filters and projections see them.
    public static let renderedResources: [(schema: ResourceSchema, document: JSONObject)] = [(.user, renderedUser), (.group, renderedGroup)]

    /// Renders a group with `members`, as a store answers a GET.
    public static func renderedGroup(attributes: JSONObject, members: [GroupMember]) -> JSONObject {
        ResourceRenderer.render(
            schema: .group,
            id: groupID,
            attributes: attributes,
            derived: JSONObject([("members", .array(members.map { $0.document(baseURL: "https://roster.example.com/scim") }))]),
            meta: meta("Groups", groupID)
        )
    }

    /// Renders a user's attributes, as a store answers a GET.
    public static func renderedUser(attributes: JSONObject, id: String) -> JSONObject {
        ResourceRenderer.render(schema: .user, id: id, attributes: attributes, derived: JSONObject([("groups", userGroups)]), meta: meta("Users", id))
    }

    /// A `meta` with dateTimes in two offsets, as filters on `meta.created` and `meta.lastModified` compare them.
    static func meta(_ endpoint: String, _ id: String) -> ResourceMeta {
        ResourceMeta(
            created: "2010-01-23T04:56:22Z",
            lastModified: "2011-05-13T06:42:34.123+02:00",
            location: "https://roster.example.com/scim/\(endpoint)/\(id)",
            version: #"W/"3694e05e9dff591""#
        )
    }

    /// Parses a fixture; a fixture that is not a JSON object is a mistake in this file.
    static func object(_ text: String) -> JSONObject {
        guard let object = (try? JSONParser().parse(text))?.objectValue else { fatalError("a fuzz fixture is not a JSON object: \(text)") }
        return object
    }
}

extension FuzzFixtures {
    /// Builds every fixture now (they are lazy statics), so that no input pays for it or is blamed for it.
    public static func prepare() {
        withExtendedLifetime((users, group, groupMembers, renderedResources)) {}
    }
}
