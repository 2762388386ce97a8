/// A parsed SCIM filter (RFC 7644 §3.4.2.2): an AST that can be evaluated against a resource document in memory and
/// that a store can translate to SQL.
public indirect enum Filter: Sendable, Hashable {
    /// `attribute op value`.
    case comparison(AttributePath, ComparisonOperator, FilterValue)
    /// `attribute pr`: the attribute has a non-empty value.
    case present(AttributePath)
    /// Both filters match.
    case and(Filter, Filter)
    /// Either filter matches.
    case or(Filter, Filter)
    /// The filter does not match.
    case not(Filter)
    /// `attribute[filter]`: some value of the multi-valued attribute matches the inner filter, whose paths name
    /// sub-attributes. Entra's `emails[type eq "work"].value eq "x"` parses as
    /// `emails[type eq "work" and value eq "x"]`.
    case valuePath(AttributePath, Filter)
}

/// A comparison operator of a filter.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    /// Equal.
    case eq
    /// Not equal.
    case ne
    /// Contains.
    case co
    /// Starts with.
    case sw
    /// Ends with.
    case ew
    /// Greater than.
    case gt
    /// Greater than or equal.
    case ge
    /// Less than.
    case lt
    /// Less than or equal.
    case le

    /// Whether the operator orders values (only meaningful for strings, numbers and dateTimes).
    public var isOrdering: Bool { self == .gt || self == .ge || self == .lt || self == .le }

    /// Whether the operator matches substrings (only meaningful for strings).
    public var isSubstring: Bool { self == .co || self == .sw || self == .ew }
}

/// The literal on the right of a comparison.
public enum FilterValue: Sendable, Hashable {
    /// A string (quoted, or unquoted where IdPs are sloppy).
    case string(String)
    /// A number literal.
    case number(JSONNumber)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`: `attribute eq null` matches an unassigned attribute (as `not (attribute pr)`), `ne null` an
    /// assigned one.
    case null

    /// The value as the JSON it stands for.
    public var jsonValue: JSONValue {
        switch self {
        case .string(let string): .string(string)
        case .number(let number): .number(number)
        case .bool(let bool): .bool(bool)
        case .null: .null
        }
    }

    /// The value as text, as comparisons read it: strings as they are, numbers and booleans as written (`1.5`,
    /// `true`); nil for `null`. The in-memory evaluator and the stores' SQL both compare this text.
    public var text: String? {
        switch self {
        case .string(let string): string
        case .number(let number): number.text
        case .bool(let bool): bool ? "true" : "false"
        case .null: nil
        }
    }
}
