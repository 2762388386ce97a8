import Foundation

/// How both stores keep an audit entry's `before` and `after`: a JSON object of strings with sorted keys (slashes
/// unescaped, so URLs read as they are), NULL when empty. One format, so that `roster export-postgres` copies the
/// text as it is.
public enum AuditStoredValues {
    /// `values` as stored; nil when there are none.
    public static func text(of values: [String: String]) throws -> String? {
        guard !values.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(values), as: UTF8.self)
    }

    /// The values a stored text holds; empty for NULL, ``StoreCorruption`` for anything but a JSON object of strings.
    public static func values(of text: String?) throws -> [String: String] {
        guard let text else { return [:] }
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        } catch {
            throw StoreCorruption(detail: "an audit entry's values are not a JSON object of strings: \(text)")
        }
    }
}
