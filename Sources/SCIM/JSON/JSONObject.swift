/// A JSON object that keeps its members in order and finds keys exactly or case-insensitively.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// The keys in order.
    public private(set) var keys: [String] = []
    private var storage: [String: JSONValue] = [:]

    /// Makes an empty object.
    public init() {}

    /// Makes an object from members in order; a repeated key keeps its first position and its last value.
    public init(_ members: [(String, JSONValue)]) {
        for (key, value) in members { self[key] = value }
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value under exactly `key`; setting nil removes the member.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The first key that equals `name` ignoring case, as RFC 7643 §2.1 compares attribute names.
    public func key(matching name: String) -> String? {
        if storage[name] != nil { return name }
        return keys.first { $0.caseInsensitiveEquals(name) }
    }

    /// The value under the key that equals `name` ignoring case.
    public func value(forName name: String) -> JSONValue? {
        guard let key = key(matching: name) else { return nil }
        return storage[key]
    }

    /// Removes the member whose key equals `name` ignoring case, returning its value.
    @discardableResult
    public mutating func removeValue(forName name: String) -> JSONValue? {
        guard let key = key(matching: name) else { return nil }
        let value = storage[key]
        self[key] = nil
        return value
    }

    /// The members in order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        var index = 0
        let keys = self.keys
        let storage = self.storage
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            let key = keys[index]
            return (key: key, value: storage[key] ?? .null)
        }
    }

    /// Objects are equal when they have the same members, whatever their order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.storage == rhs.storage }

    /// Hashes the members, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}

extension String {
    /// Whether two strings are equal ignoring case; ASCII is compared without allocating.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let lhs = self.utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else {
            // Lengths differ: only a non-ASCII case mapping (such as "İ") can still make them equal.
            return (lhs.contains { $0 >= 0x80 } || rhs.contains { $0 >= 0x80 }) && self.lowercased() == other.lowercased()
        }
        var allASCII = true
        for (a, b) in zip(lhs, rhs) {
            if a >= 0x80 || b >= 0x80 {
                allASCII = false
                break
            }
            if a != b && asciiLower(a) != asciiLower(b) { return false }
        }
        return allASCII || self.lowercased() == other.lowercased()
    }
}

/// Lowercases one ASCII byte.
@inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
}
