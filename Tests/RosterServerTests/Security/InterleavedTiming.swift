import Foundation
import RosterTestSupport

/// Timing of several cases measured side by side: each round runs every case once, in a fresh random order, so that
/// whatever else the machine does (other tests, the other core, frequency changes) falls on all cases alike, and the
/// cases are compared by their medians, which a few preempted samples cannot move.
struct InterleavedTiming: Sendable {
    /// The samples of each case, in nanoseconds.
    var samples: [[Double]]

    /// Runs `rounds` rounds of `cases` cases; `body(index)` is one sample of case `index`.
    static func measure(cases: Int, rounds: Int, _ body: (Int) async throws -> Void) async rethrows -> InterleavedTiming {
        var samples = Array(repeating: [Double](), count: cases)
        var generator = SystemRandomNumberGenerator()
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            for index in Array(0..<cases).shuffled(using: &generator) {
                let start = clock.now
                try await body(index)
                let elapsed = clock.now - start
                samples[index].append(Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9)
            }
        }
        return InterleavedTiming(samples: samples)
    }

    /// The median of each case, in nanoseconds.
    var medians: [Double] {
        samples.map { values in
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }

    /// How far case `index`'s median is from case `baseline`'s, as a fraction of the baseline's (0.1 is 10% slower,
    /// -0.1 10% faster).
    func relativeDifference(_ index: Int, from baseline: Int) -> Double {
        let medians = medians
        return (medians[index] - medians[baseline]) / medians[baseline]
    }

    /// The medians in microseconds, for messages: `far 1.23 µs, near 1.25 µs`.
    func summary(_ names: [String]) -> String {
        zip(names, medians).map { "\($0) \(String(format: "%.3f", $1 / 1000)) µs" }.joined(separator: ", ")
    }
}
