import RosterCore

/// The decoded parameters of a URL query (`application/x-www-form-urlencoded`): `+` is a space and `%XX` a byte,
/// in names and values alike, as Okta sends `filter=userName+eq+%22jane%40x.com%22`. Empty pieces (OneLogin's
/// trailing `&`) are skipped, a name without `=` (Entra's `aadOptscim062020` flag) has an empty value, and a
/// malformed escape is kept as written. Hummingbird's own `queryParameters` leaves `+` alone, hence this type.
public struct QueryString: Sendable, Hashable {
    /// The parameters in the order they came, repeats included.
    public var items: [(name: String, value: String)] {
        zip(names, values).map { (name: $0, value: $1) }
    }

    private var names: [String]
    private var values: [String]

    /// Decodes the query part of a URL, without the `?`; nil is an empty query.
    public init(_ query: String?) {
        names = []
        values = []
        guard let query else { return }
        for piece in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let name: Substring.UTF8View.SubSequence
            let value: Substring.UTF8View.SubSequence
            if let equals = piece.firstIndex(of: UInt8(ascii: "=")) {
                name = piece[piece.startIndex..<equals]
                value = piece[piece.index(after: equals)...]
            } else {
                name = piece
                value = piece[piece.endIndex...]
            }
            if name.isEmpty && value.isEmpty { continue }
            names.append(QueryString.decode(name))
            values.append(QueryString.decode(value))
        }
    }

    /// The parameters by name; where a name repeats, the first value wins.
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        for (name, value) in zip(names, values) where result[name] == nil {
            result[name] = value
        }
        return result
    }

    /// The first value of the parameter `name`, compared ignoring ASCII case; nil when it is absent.
    public func value(named name: String) -> String? {
        let wanted = name.lowercased()
        for (candidate, value) in zip(names, values) where candidate.lowercased() == wanted {
            return value
        }
        return nil
    }

    /// Whether the query has a parameter `name` (ignoring ASCII case), with or without a value.
    public func contains(_ name: String) -> Bool {
        value(named: name) != nil
    }

    /// Decodes one form-encoded component: `+` to a space, `%XX` to its byte; the bytes are read as UTF-8 (invalid
    /// sequences become U+FFFD).
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        decode(bytes, plusAsSpace: true)
    }

    /// Decodes percent escapes in one path segment; `+` stays a `+`.
    public static func decodePathSegment(_ segment: some StringProtocol) -> String {
        decode(Array(segment.utf8), plusAsSpace: false)
    }

    private static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, plusAsSpace: Bool) -> String {
        PercentDecoding.decode(bytes, mode: .lenient(plusAsSpace: plusAsSpace)) ?? ""
    }
}
