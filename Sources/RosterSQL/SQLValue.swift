/// A value bound to one placeholder of an ``SQLCondition``; each store binds it with its own client's types.
public enum SQLValue: Sendable, Hashable {
    /// Text: TEXT in both stores.
    case text(String)
    /// A 64-bit integer (times in milliseconds, row counts, LIMIT and OFFSET): BIGINT in PostgreSQL, INTEGER in
    /// SQLite.
    case integer(Int64)
    /// A boolean: BOOLEAN in PostgreSQL, 0 or 1 in SQLite.
    case boolean(Bool)
}
