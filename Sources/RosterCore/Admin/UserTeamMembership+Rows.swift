extension [UserTeamMembership] {
    /// Adds one row of a user's team memberships read in team order: `source` joins the last membership when it is
    /// of `team`, else a membership of `team` starts with it.
    public mutating func append(_ source: TeamMembershipSource, of team: Team) {
        if last?.team.id == team.id {
            self[count - 1].sources.append(source)
        } else {
            append(UserTeamMembership(team: team, sources: [source]))
        }
    }
}
