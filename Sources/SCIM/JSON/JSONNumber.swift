/// A JSON number kept as the literal text it arrived as, so that `1.50` is echoed back as `1.50`.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal text, valid per RFC 8259.
    public let text: String

    /// Makes a number from literal text that the caller has already validated.
    init(validatedText: String) { self.text = validatedText }

    /// Makes a number from an integer.
    public init(_ value: Int) { self.text = String(value) }

    /// Makes a number from a double; non-finite values become 0.
    public init(_ value: Double) {
        if value.isFinite {
            if abs(value) < 1e15, Double(Int(value)) == value {
                self.text = String(Int(value))
            } else {
                self.text = String(value)
            }
        } else {
            self.text = "0"
        }
    }

    /// Parses literal text, returning nil unless it is a valid JSON number.
    public init?(text: String) {
        var bytes = Array(text.utf8)
        guard JSONNumber.isValidLiteral(&bytes) else { return nil }
        self.text = text
    }

    /// The value as a double.
    public var doubleValue: Double { Double(text) ?? 0 }

    /// The value as an integer, when it is a whole number in range.
    public var intValue: Int? {
        if let int = Int(text) { return int }
        let double = doubleValue
        guard abs(double) < 9e18, Double(Int(double)) == double else { return nil }
        return Int(double)
    }

    /// The literal text.
    public var description: String { text }

    /// Numbers are equal when their values are equal, so `1.0` equals `1`.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.text == rhs.text || lhs.doubleValue == rhs.doubleValue }

    /// Hashes the numeric value, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(doubleValue) }

    /// Whether `bytes` is a complete JSON number literal.
    static func isValidLiteral(_ bytes: inout [UInt8]) -> Bool {
        var index = 0
        return bytes.withUnsafeBufferPointer { buffer in
            JSONNumber.scanLiteral(buffer, &index) && index == buffer.count
        }
    }

    /// Scans a JSON number starting at `index`, advancing past it; returns false when the grammar is not met.
    static func scanLiteral(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Bool {
        let count = bytes.count
        func digit(_ i: Int) -> Bool { i < count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
        if index < count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digit(index) else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while digit(index) { index += 1 }
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digit(index) else { return false }
            while digit(index) { index += 1 }
        }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digit(index) else { return false }
            while digit(index) { index += 1 }
        }
        return true
    }
}
