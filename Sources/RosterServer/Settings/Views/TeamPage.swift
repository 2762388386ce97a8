/// The model of the `team` template.
struct TeamPage {
    /// A member's row.
    struct MemberRow {
        /// The user's page.
        var path: String
        /// `userName`.
        var userName: String
        /// `active` or `deactivated`.
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
    /// `12 members`.
    var memberCountText: String
    /// The mapped group names, comma-separated, or `none`.
    var groupNamesText: String
    /// Whether anyone is in the team.
    var hasMembers: Bool
    /// The members (deactivated ones included, marked).
    var members: [MemberRow]
}
