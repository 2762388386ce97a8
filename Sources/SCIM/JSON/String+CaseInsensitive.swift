extension String {
    /// Whether two strings are equal ignoring case. ASCII is compared without allocating; strings of different
    /// UTF-8 lengths are never equal (attribute names are ASCII, and the few case mappings that change length are
    /// not worth a scan of every mismatch).
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let lhs = self.utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
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

    /// Whether the string starts with `prefix`, ignoring ASCII case, without allocating.
    func hasPrefixIgnoringCase(_ prefix: String) -> Bool {
        var own = self.utf8.makeIterator()
        for byte in prefix.utf8 {
            guard let next = own.next(), asciiLower(next) == asciiLower(byte) else { return false }
        }
        return true
    }
}

/// Lowercases one ASCII byte.
@inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
}
