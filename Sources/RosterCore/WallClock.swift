import Foundation

/// The wall clock, in the unit Roster stores times in.
public enum WallClock {
    /// Now, in milliseconds since 1970.
    public static func millisecondsSince1970() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
