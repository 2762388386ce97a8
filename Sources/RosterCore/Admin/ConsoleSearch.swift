/// How the settings pages' searches match (``ConsoleStore/userSummaries(directoryID:search:offset:limit:)``,
/// ``ConsoleStore/groupSummaries(directoryID:search:offset:limit:)``): a value matches when its lowercased key
/// contains the search, lowercased; a search of nothing or only spaces is no search.
public enum ConsoleSearch {
    /// A SQL `LIKE` pattern (for `ESCAPE '\'`) matching lowercased values that contain `search`, lowercased, with
    /// `%`, `_` and `\` escaped; nil for no search (nil, or only spaces).
    public static func likePattern(_ search: String?) -> String? {
        guard let search = search?.trimmed(), !search.isEmpty else { return nil }
        var pattern = "%"
        for character in search.lowercased() {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern + "%"
    }
}
