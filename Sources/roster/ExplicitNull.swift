/// An optional JSON value written as `null` when absent, where synthesized `Encodable` would leave the key out: for
/// the keys scripts may rely on always finding.
@propertyWrapper
struct ExplicitNull<Value: Encodable>: Encodable {
    /// The value; nil is written as `null`.
    var wrappedValue: Value?

    /// Wraps `wrappedValue`.
    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    /// Writes the value, or `null`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue)
        } else {
            try container.encodeNil()
        }
    }
}
