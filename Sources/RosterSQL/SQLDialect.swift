import SCIM

/// Where the stores' SQL differs: how each database spells a few expressions of ``FilterTranslator`` and
/// ``ListPlan``. Everything else they write alike. A text predicate here may be NULL (when its column is); the
/// translator wraps it in ``orFalse(_:)``. Every `?` in a text predicate is bound to the compared text.
public protocol SQLDialect {
    /// A condition that always holds (`1`, `TRUE`): what an empty conjunction is.
    static var alwaysTrue: String { get }
    /// The inequality operator (`!=`, `<>`).
    static var notEqual: String { get }
    /// The most values a filter's condition may bind; a filter needing more is evaluated in memory.
    static var maximumValues: Int { get }

    /// `predicate`, FALSE where it is NULL: a condition that is never NULL.
    static func orFalse(_ predicate: String) -> String
    /// A text column as it orders in ranges and sorts: bytewise, as SQLite's BINARY collation compares.
    static func bytewise(_ column: String) -> String
    /// Whether `column` contains the text (`co`): one placeholder.
    static func contains(_ column: String) -> String
    /// Whether `column` starts with the text (`sw`): two placeholders.
    static func startsWith(_ column: String) -> String
    /// Whether `column` ends with the text (`ew`), which is empty when `emptyText`: as many placeholders as the
    /// dialect needs. `ew ""` matches only empty values (SQLite's `substr(x, -0)` is all of x).
    static func endsWith(_ column: String, emptyText: Bool) -> String
    /// The ORDER BY direction of a `sortBy`: missing (NULL) values first when ascending, last when descending.
    static func sortDirection(_ order: SortOrder) -> String
}
