import Crypto

/// One stored value on its way from SQLite to PostgreSQL.
public enum ExportValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// An integer (flags included, as 0 or 1).
    case integer(Int64)
    /// Text.
    case text(String)
    /// Bytes.
    case blob([UInt8])
}

/// An order-independent checksum of a table's rows: each row's SHA-256 (over its values, typed and
/// length-prefixed) added lane-wise, so both back ends can read rows in any order and still agree, and duplicate rows
/// do not cancel out.
public struct TableChecksum: Sendable, Hashable, CustomStringConvertible {
    private var lanes: [UInt64] = [0, 0, 0, 0]
    /// How many rows were added.
    public private(set) var rows = 0

    /// An empty checksum.
    public init() {}

    /// Adds one row.
    public mutating func add(_ row: [ExportValue]) {
        var hasher = SHA256()
        for value in row {
            switch value {
            case .null:
                hasher.update(data: [0])
            case .integer(let number):
                hasher.update(data: [1])
                withUnsafeBytes(of: number.littleEndian) { hasher.update(bufferPointer: $0) }
            case .text(let text):
                hasher.update(data: [2])
                withUnsafeBytes(of: UInt64(text.utf8.count).littleEndian) { hasher.update(bufferPointer: $0) }
                hasher.update(data: Array(text.utf8))
            case .blob(let bytes):
                hasher.update(data: [3])
                withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { hasher.update(bufferPointer: $0) }
                hasher.update(data: bytes)
            }
        }
        let digest = Array(hasher.finalize())
        for lane in 0..<4 {
            var word: UInt64 = 0
            for byte in digest[(lane * 8)..<(lane * 8 + 8)] { word = word << 8 | UInt64(byte) }
            lanes[lane] &+= word
        }
        rows += 1
    }

    /// The checksum in hex.
    public var description: String {
        lanes.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
