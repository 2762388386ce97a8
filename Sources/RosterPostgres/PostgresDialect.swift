import PostgresNIO
import RosterSQL
import SCIM

/// PostgreSQL's spelling of what ``FilterTranslator`` and ``ListPlan`` write, so that it answers exactly as the
/// SQLite store does.
///
/// The dialect: text compares bytewise as in SQLite (`=` is bytewise under any deterministic collation; ranges and
/// sorting use `COLLATE "C"`, so an ICU or en_US database orders as SQLite does); substring tests use
/// `strpos`/`left`/`right`, so `%`, `_` and `\` in a value are plain characters; booleans are BOOLEAN; a NULL
/// column makes a comparison FALSE through `COALESCE`.
enum PostgresDialect: SQLDialect {
    /// `TRUE`.
    static let alwaysTrue = "TRUE"
    /// `<>`.
    static let notEqual = "<>"
    /// The most values one statement may bind (PostgreSQL's protocol counts them in 16 bits), less the two of
    /// LIMIT and OFFSET; a filter needing more is evaluated in memory.
    static let maximumValues = Int(UInt16.max) - 2

    /// `COALESCE(predicate, FALSE)`.
    static func orFalse(_ predicate: String) -> String {
        "COALESCE(\(predicate), FALSE)"
    }

    /// `column COLLATE "C"`: bytes, as SQLite's BINARY collation compares, whatever the database's locale.
    static func bytewise(_ column: String) -> String {
        "\(column) COLLATE \"C\""
    }

    /// `strpos`, which finds the text as it is (no pattern characters).
    static func contains(_ column: String) -> String {
        "strpos(\(column), ?) > 0"
    }

    /// The column's first `length(text)` characters, compared with the text.
    static func startsWith(_ column: String) -> String {
        "left(\(column), length(?)) = ?"
    }

    /// The column's last `length(text)` characters, compared with the text. SQLite's `substr(x, -0)` is all of x, so
    /// there `ew ""` matches only empty values; the same here (`right(x, 0)` is empty, so it would match any value).
    static func endsWith(_ column: String, emptyText: Bool) -> String {
        emptyText ? "\(column) = ?" : "right(\(column), length(?)) = ?"
    }

    /// `ASC NULLS FIRST` or `DESC NULLS LAST`: as SQLite sorts NULL, which PostgreSQL by default sorts last.
    static func sortDirection(_ order: SortOrder) -> String {
        order == .ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST"
    }
}

extension SQLValue {
    /// Appends the value to `binds` with its PostgreSQL type: TEXT, BIGINT or BOOLEAN.
    func append(to binds: inout PostgresBindings) {
        switch self {
        case .text(let text): binds.append(text)
        case .integer(let integer): binds.append(integer)
        case .boolean(let bool): binds.append(bool)
        }
    }
}

extension SQLCondition {
    /// The query to run: each `?` numbered as `$1`, `$2`… in order, and the values as its bindings.
    var query: PostgresQuery {
        var numbered = ""
        numbered.reserveCapacity(sql.utf8.count + values.count * 4)
        var placeholders = 0
        for character in sql {
            if character == "?" {
                placeholders += 1
                numbered += "$\(placeholders)"
            } else {
                numbered.append(character)
            }
        }
        assert(placeholders == values.count, "\(placeholders) placeholders for \(values.count) values")
        var binds = PostgresBindings(capacity: values.count)
        for value in values { value.append(to: &binds) }
        return PostgresQuery(unsafeSQL: numbered, binds: binds)
    }
}
