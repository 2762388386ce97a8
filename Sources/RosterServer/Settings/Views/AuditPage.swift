import RosterCore

/// The model of the `audit` template: the audit trail, newest first, with its filter and keyset links.
struct AuditPage {
    /// One entry.
    struct Row {
        /// Its id.
        var id: Int64
        /// When, in UTC.
        var time: String
        /// The actor's name (email, `cli`, key name).
        var actor: String
        /// The operating-system user or key id.
        var actorDetail: String?
        /// The client's address, or an empty cell.
        var address: String
        /// The action's name.
        var action: String
        /// The target's kind.
        var targetKind: String
        /// The target's name.
        var targetName: String
        /// One line per changed value: `name: "Old" → "New"`.
        var changes: [String]
    }

    /// One choice of the action filter.
    struct ActionChoice {
        /// The action's name.
        var value: String
        /// Whether it is the current filter.
        var selected: Bool
    }

    /// The layout's part.
    var chrome: PageChrome
    /// The page's own path (the filter form's action).
    var path: String
    /// How many days entries are kept.
    var retentionDays: Int
    /// The actor filter as typed.
    var actor: String
    /// The target filter as typed.
    var target: String
    /// Every action, the current one selected.
    var actions: [ActionChoice]
    /// Whether any filter is set.
    var filtered: Bool
    /// Whether there are entries on this page.
    var hasEntries: Bool
    /// The entries, newest first.
    var entries: [Row]
    /// The first page with the same filter, when this is not it.
    var newerPath: String?
    /// The next page of older entries, when there may be one.
    var olderPath: String?

}
