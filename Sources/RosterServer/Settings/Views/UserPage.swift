/// The model of the `user` template.
struct UserPage {
    /// A team the user is in.
    struct TeamRow {
        /// The team's page.
        var path: String
        /// The team's name.
        var name: String
        /// What holds the user there, in words.
        var sources: String
        /// `active` or `suspended`: the membership's status.
        var membership: String
    }

    /// A group the user is in.
    struct GroupRow {
        /// The group's name.
        var displayName: String
    }

    /// The layout's part.
    var chrome: PageChrome
    /// The directory's name.
    var directoryName: String
    /// The directory's page.
    var directoryPath: String
    /// The SCIM id.
    var id: String
    /// `userName`.
    var userName: String
    /// The name.
    var name: String?
    /// The email.
    var email: String?
    /// `active` or `deactivated`.
    var status: String
    /// Whether the user is deactivated.
    var inactive: Bool
    /// Whether the user is in any team.
    var hasTeams: Bool
    /// The teams.
    var teams: [TeamRow]
    /// Whether the user is in any group.
    var hasGroups: Bool
    /// The groups.
    var groups: [GroupRow]
}
