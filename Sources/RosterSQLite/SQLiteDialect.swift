import GRDB
import RosterSQL
import SCIM

/// SQLite's spelling of what ``FilterTranslator`` and ``ListPlan`` write: a condition is 0 or 1, never NULL
/// (`IFNULL(…, 0)`); text compares with the BINARY collation (bytewise); substring tests use `instr`/`substr`, so
/// `%`, `_` and `\` in a value are plain characters; booleans are 0 or 1.
enum SQLiteDialect: SQLDialect {
    /// `1`.
    static let alwaysTrue = "1"
    /// `!=`.
    static let notEqual = "!="
    /// No limit, as before this module: a filter the parser accepts (at most 8,192 characters) binds far fewer
    /// values than SQLite allows in one statement (32,766 since SQLite 3.32).
    static let maximumValues = Int.max

    /// `IFNULL(predicate, 0)`.
    static func orFalse(_ predicate: String) -> String {
        "IFNULL(\(predicate), 0)"
    }

    /// The column itself: SQLite's default collation, BINARY, compares bytes.
    static func bytewise(_ column: String) -> String {
        column
    }

    /// `instr`, which finds the text as it is (no pattern characters).
    static func contains(_ column: String) -> String {
        "instr(\(column), ?) > 0"
    }

    /// The column's first `length(text)` characters, compared with the text.
    static func startsWith(_ column: String) -> String {
        "substr(\(column), 1, length(?)) = ?"
    }

    /// The column's last `length(text)` characters, compared with the text. `substr(x, -0)` is all of x, so `ew ""`
    /// matches only empty values.
    static func endsWith(_ column: String, emptyText: Bool) -> String {
        "length(\(column)) >= length(?) AND substr(\(column), -length(?)) = ?"
    }

    /// `ASC` or `DESC`: SQLite sorts NULL first.
    static func sortDirection(_ order: SortOrder) -> String {
        order == .ascending ? "ASC" : "DESC"
    }
}

extension SQLValue {
    /// The value as GRDB binds it: a boolean as 0 or 1.
    var databaseValue: DatabaseValue {
        switch self {
        case .text(let text): text.databaseValue
        case .integer(let integer): integer.databaseValue
        case .boolean(let bool): bool.databaseValue
        }
    }
}

extension SQLCondition {
    /// The values as GRDB binds them, in order.
    var arguments: StatementArguments {
        StatementArguments(values.map(\.databaseValue))
    }
}
