extension Duration {
    /// The duration in whole milliseconds (lease lengths, which the stores keep as integers).
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// The duration in milliseconds with fractions (request durations in logs).
    var fractionalMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
