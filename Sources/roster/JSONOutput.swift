import Foundation

/// JSON for scripts: one value on one line, keys sorted, slashes unescaped.
enum JSONOutput {
    /// Encodes `value` on one line.
    static func line(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
