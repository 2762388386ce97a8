/// A JSON object that keeps its members in order and finds keys exactly or case-insensitively. Small objects (all
/// SCIM resources) are scanned linearly, which beats hashing; large ones get a hash index so hostile input with
/// thousands of keys stays linear to build.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// One member of an object.
    public struct Member: Sendable, Hashable {
        /// The member name.
        public var key: String
        /// The member value.
        public var value: JSONValue
    }

    /// The members in order.
    public private(set) var members: [Member] = []
    /// Positions by key, kept once the object outgrows ``indexThreshold`` members.
    private var index: [String: Int]?
    /// The member count above which lookups go through a hash index.
    private static let indexThreshold = 24

    /// Makes an empty object.
    public init() {}

    /// Makes an object from members in order; a repeated key keeps its first position and its last value.
    public init(_ members: [(String, JSONValue)]) {
        for (key, value) in members { self[key] = value }
    }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    /// The value under exactly `key`; setting nil removes the member.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    if index != nil { rebuildIndex() }
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
                if index != nil {
                    index?[key] = members.count - 1
                } else if members.count > JSONObject.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    private mutating func rebuildIndex() {
        guard members.count > JSONObject.indexThreshold else {
            index = nil
            return
        }
        var rebuilt: [String: Int] = [:]
        rebuilt.reserveCapacity(members.count)
        for (position, member) in members.enumerated() { rebuilt[member.key] = position }
        index = rebuilt
    }

    /// The first key that equals `name` ignoring case, as RFC 7643 §2.1 compares attribute names.
    public func key(matching name: String) -> String? {
        if let position = position(of: name) { return members[position].key }
        return members.first { $0.key.caseInsensitiveEquals(name) }?.key
    }

    /// The value under the key that equals `name` ignoring case.
    public func value(forName name: String) -> JSONValue? {
        if let position = position(of: name) { return members[position].value }
        return members.first { $0.key.caseInsensitiveEquals(name) }?.value
    }

    /// Removes the member whose key equals `name` ignoring case, returning its value.
    @discardableResult
    public mutating func removeValue(forName name: String) -> JSONValue? {
        guard let key = key(matching: name) else { return nil }
        let value = self[key]
        self[key] = nil
        return value
    }

    /// The members in order, as `(key, value)` pairs.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        members.lazy.map { (key: $0.key, value: $0.value) }.makeIterator()
    }

    /// Objects are equal when they have the same members, whatever their order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for member in lhs.members where rhs[member.key] != member.value {
            return false
        }
        return true
    }

    /// Hashes the members independently of their order, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for member in members { combined = combined &+ member.hashValue }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}
