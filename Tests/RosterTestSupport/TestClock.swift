import Foundation

/// A settable clock in milliseconds since 1970, for stores and sign-in rules under test.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 1_800_000_000_000

    /// A clock at 2027-01-15.
    public init() {}

    /// The current time.
    public var now: Int64 { lock.withLock { value } }
    /// Moves the clock forward by `milliseconds`.
    public func advance(by milliseconds: Int64) { lock.withLock { value += milliseconds } }
    /// Sets the clock to `milliseconds`.
    public func set(_ milliseconds: Int64) { lock.withLock { value = milliseconds } }
}
