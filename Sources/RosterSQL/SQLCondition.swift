/// A SQL condition (or a whole statement) with its bound values, in the dialect of the store that runs it.
public struct SQLCondition: Sendable {
    /// The SQL text with a `?` where each value is bound, in order. Only ``FilterTranslator``, the dialects and
    /// ``ListPlan`` write it, from constants and column names (user text is always a bound value), so a `?` is never
    /// anything but a placeholder (PostgreSQL numbers them `$1`, `$2`… when it makes its query). A condition never
    /// evaluates to NULL, so `NOT` keeps SCIM's meaning.
    public var sql: String
    /// The bound values, in the order of their placeholders.
    public var values: [SQLValue]
    /// How deeply its parentheses nest (an upper bound): SQLite's parser refuses about 30 nested groups, and
    /// PostgreSQL is held to the same limit so that both stores send the same part of a filter to SQL.
    public var depth: Int

    /// A condition; `depth` 4 bounds every single comparison ``FilterTranslator`` writes, sub-queries included.
    public init(sql: String, values: [SQLValue], depth: Int = 4) {
        self.sql = sql
        self.values = values
        self.depth = depth
    }
}
