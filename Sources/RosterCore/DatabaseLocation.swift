/// Where Roster keeps its data, as named by `SAML_DATABASE_URL` (or `--database-url`).
///
/// Accepted forms, all naming a SQLite file:
/// - nothing (unset or blank): ``defaultSQLitePath``;
/// - `sqlite:PATH`, `sqlite://PATH`, `sqlite:///absolute/path`;
/// - `file:PATH`, `file://PATH`, `file:///absolute/path`;
/// - a plain path, used as it is.
///
/// The scheme is matched case-insensitively. In the `sqlite:` and `file:` forms `%XX` escapes are decoded (a plain
/// path is never decoded). A `postgres://` or `postgresql://` URL is refused with
/// ``DatabaseLocationError/postgresNotSupported``, and any other scheme with
/// ``DatabaseLocationError/unsupportedScheme(_:)``.
public struct DatabaseLocation: Sendable, Hashable {
    /// The SQLite file used when no database URL is given, relative to the working directory.
    public static let defaultSQLitePath = "./data/roster.sqlite"

    /// The SQLite file's path, as given (relative paths are relative to the working directory).
    public var sqlitePath: String

    /// Makes a location from a SQLite file path.
    public init(sqlitePath: String) {
        self.sqlitePath = sqlitePath
    }

    /// The directory that must exist for the SQLite file to be created, or nil when the path has no directory part
    /// (a file in the working directory).
    public var parentDirectory: String? {
        guard let slash = sqlitePath.lastIndex(of: "/") else { return nil }
        let parent = String(sqlitePath[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    /// Parses a database URL; nil or blank means the default location.
    public init(parsing value: String?) throws(DatabaseLocationError) {
        let trimmed = DatabaseLocation.trimmed(value ?? "")
        guard !trimmed.isEmpty else {
            self.init(sqlitePath: DatabaseLocation.defaultSQLitePath)
            return
        }
        guard let (scheme, rest) = DatabaseLocation.splitScheme(trimmed) else {
            self.init(sqlitePath: trimmed)
            return
        }
        switch scheme {
        case "sqlite", "sqlite3", "file":
            var path = Substring(rest)
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            guard let decoded = DatabaseLocation.percentDecoded(path) else {
                throw .malformed(scheme: scheme, reason: "it has a malformed %-escape")
            }
            guard !decoded.isEmpty else { throw .malformed(scheme: scheme, reason: "it names no file") }
            self.init(sqlitePath: decoded)
        case "postgres", "postgresql":
            throw .postgresNotSupported
        default:
            throw .unsupportedScheme(scheme)
        }
    }

    /// Splits `scheme:rest` when the value starts with a URI scheme (RFC 3986 §3.1: a letter, then letters, digits,
    /// `+`, `-` or `.`); the scheme is lowercased. Nil for a plain path.
    private static func splitScheme(_ value: String) -> (scheme: String, rest: String)? {
        guard let colon = value.firstIndex(of: ":") else { return nil }
        let scheme = value[..<colon]
        guard let first = scheme.unicodeScalars.first, first.isASCIILetter else { return nil }
        let valid = scheme.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) }
        guard valid else { return nil }
        return (scheme.lowercased(), String(value[value.index(after: colon)...]))
    }

    /// Decodes `%XX` escapes; nil when an escape is malformed or the bytes are not UTF-8.
    private static func percentDecoded(_ text: Substring) -> String? {
        PercentDecoding.decode(text.utf8, mode: .strict)
    }

    private static func trimmed(_ value: String) -> String {
        var slice = Substring(value)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}

/// Why a database URL was refused. Each description is one line meant for an admin, and never repeats the URL
/// itself (a Postgres URL may carry a password).
public enum DatabaseLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `postgres://` or `postgresql://` URL: live Postgres is not supported yet.
    case postgresNotSupported
    /// A URL with a scheme Roster does not know (lowercased).
    case unsupportedScheme(String)
    /// A `sqlite:` or `file:` URL that names no usable path.
    case malformed(scheme: String, reason: String)

    /// One line saying what is wrong and what to do instead.
    public var description: String {
        switch self {
        case .postgresNotSupported:
            "live Postgres is not supported yet: set SAML_DATABASE_URL (or --database-url) to a SQLite file "
                + "(sqlite:PATH, file:PATH or a plain path; default \(DatabaseLocation.defaultSQLitePath)), "
                + "and use `roster export-postgres` to copy Roster's data into Postgres"
        case .unsupportedScheme(let scheme):
            "unsupported database URL scheme \"\(scheme):\": SAML_DATABASE_URL (or --database-url) must name a SQLite file "
                + "as sqlite:PATH, file:PATH or a plain path"
        case .malformed(let scheme, let reason):
            "the database URL \"\(scheme):…\" is not usable because \(reason): write it as sqlite:PATH, file:PATH or a plain path"
        }
    }
}

extension Unicode.Scalar {
    /// Whether the scalar is an ASCII letter.
    fileprivate var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }
}
