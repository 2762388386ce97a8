/// Where Roster keeps its data, as named by `SAML_DATABASE_URL` (or `--database-url`): a SQLite file or a
/// PostgreSQL database.
///
/// Accepted forms:
/// - nothing (unset or blank): the SQLite file ``defaultSQLitePath``;
/// - `sqlite:PATH`, `sqlite://PATH`, `sqlite:///absolute/path`: a SQLite file;
/// - `file:PATH`, `file://PATH`, `file:///absolute/path`: a SQLite file;
/// - `postgres://…` or `postgresql://…`: a PostgreSQL database, kept as the URL given (the executable parses it, so
///   that this module needs no PostgreSQL code);
/// - a plain path: a SQLite file, used as it is.
///
/// The scheme is matched case-insensitively. In the `sqlite:` and `file:` forms `%XX` escapes are decoded (a plain
/// path is never decoded). Any other scheme is refused with ``DatabaseLocationError/unsupportedScheme(_:)``.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite file, by its path as given (relative paths are relative to the working directory).
    case sqlite(path: String)
    /// A PostgreSQL database, by its `postgres://` or `postgresql://` URL as given (trimmed; it may carry a password).
    case postgres(url: String)

    /// The SQLite file used when no database URL is given, relative to the working directory.
    public static let defaultSQLitePath = "./data/roster.sqlite"

    /// Makes a location from a SQLite file path.
    public init(sqlitePath: String) {
        self = .sqlite(path: sqlitePath)
    }

    /// The SQLite file's path, or nil for a PostgreSQL database.
    public var sqlitePath: String? {
        guard case .sqlite(let path) = self else { return nil }
        return path
    }

    /// The PostgreSQL URL as given, or nil for a SQLite file. It may carry a password: never print it.
    public var postgresURL: String? {
        guard case .postgres(let url) = self else { return nil }
        return url
    }

    /// The directory that must exist for the SQLite file to be created, or nil when the path has no directory part
    /// (a file in the working directory) or the location is a PostgreSQL database.
    public var parentDirectory: String? {
        guard let sqlitePath, let slash = sqlitePath.lastIndex(of: "/") else { return nil }
        let parent = String(sqlitePath[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    /// The location for messages: `SQLite file PATH`, or `PostgreSQL database` followed by the URL with its password
    /// replaced by `****`.
    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite file \(path)"
        case .postgres(let url): "PostgreSQL database \(DatabaseLocation.redactingPassword(url))"
        }
    }

    /// Parses a database URL; nil or blank means the default location.
    public init(parsing value: String?) throws(DatabaseLocationError) {
        let trimmed = (value ?? "").trimmed()
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
            self = .postgres(url: trimmed)
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

    /// `scheme://user:****@host/…` for `scheme://user:password@host/…`; a URL without a password is unchanged.
    private static func redactingPassword(_ url: String) -> String {
        guard let separator = url.range(of: "://") else { return url }
        let authorityEnd = url[separator.upperBound...].firstIndex(where: { "/?#".contains($0) }) ?? url.endIndex
        guard let at = url[separator.upperBound..<authorityEnd].lastIndex(of: "@"),
            let colon = url[separator.upperBound..<at].firstIndex(of: ":")
        else { return url }
        return String(url[...colon]) + "****" + String(url[at...])
    }

    /// Decodes `%XX` escapes; nil when an escape is malformed or the bytes are not UTF-8.
    private static func percentDecoded(_ text: Substring) -> String? {
        PercentDecoding.decode(text.utf8, mode: .strict)
    }
}

/// Why a database URL was refused. Each description is one line meant for an admin, and never repeats the URL
/// itself (a Postgres URL may carry a password).
public enum DatabaseLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A URL with a scheme Roster does not know (lowercased).
    case unsupportedScheme(String)
    /// A `sqlite:` or `file:` URL that names no usable path.
    case malformed(scheme: String, reason: String)

    /// One line saying what is wrong and what to do instead.
    public var description: String {
        switch self {
        case .unsupportedScheme(let scheme):
            "unsupported database URL scheme \"\(scheme):\": SAML_DATABASE_URL (or --database-url) must name a SQLite file "
                + "as sqlite:PATH, file:PATH or a plain path, or a PostgreSQL database as postgresql://USER:PASSWORD@HOST:5432/DATABASE"
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
