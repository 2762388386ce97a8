import SCIM

/// The filter an identity provider sends before each create, `userName eq "…"`: `userName` is unique in a directory
/// (ignoring case), so a store answers it with one lookup of the lowercased name, and its count is whether the user
/// exists.
public enum UserNameEquality {
    /// The value of a filter that is exactly `userName eq "…"` (any spelling of the attribute name), else nil. The
    /// value stops at its first NUL character, as every filter literal does in both stores (SQLite binds text as a C
    /// string; PostgreSQL's TEXT cannot hold a NUL, and binding one fails).
    public static func value(_ filter: Filter) -> String? {
        guard case .comparison(let path, .eq, .string(let value)) = filter else { return nil }
        let resolved = ResourceKind.user.schema.resolve(path)
        guard resolved.container == nil, resolved.name == "userName", resolved.subName == nil else { return nil }
        return String(String.UnicodeScalarView(value.unicodeScalars.prefix { $0 != "\u{0}" }))
    }
}
