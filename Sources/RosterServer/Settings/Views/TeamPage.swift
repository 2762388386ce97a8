/// The model of the `team` template.
struct TeamPage {
    /// One person in the team: the users of one email across directories.
    struct PersonRows {
        /// The person's email, or the userName of a user without one.
        var label: String
        /// `active` or `suspended`: the person's membership.
        var membership: String
        /// How many users the person has in the team (the rows the person's cell spans).
        var count: Int
        /// The person's users.
        var members: [MemberRow]
    }

    /// One user's row.
    struct MemberRow {
        /// Whether this is the person's first row (which carries the person's cell).
        var first: Bool
        /// The user's page.
        var path: String
        /// `userName`.
        var userName: String
        /// The user's directory, by name.
        var directoryName: String
        /// `active` or `suspended`: this user's membership.
        var status: String
        /// What holds them in the team, in words.
        var sources: String
    }

    /// The layout's part.
    var chrome: PageChrome
    /// The team's page.
    var path: String
    /// The team's name.
    var name: String
    /// `12 members`, with `, 2 suspended` when some are.
    var memberCountText: String
    /// The mapped group names, comma-separated, or `none`.
    var groupNamesText: String
    /// Whether anyone is in the team.
    var hasMembers: Bool
    /// The people (suspended ones included, marked).
    var people: [PersonRows]
}
