import RosterCore
import SCIM

/// How the settings pages word times, counts and membership sources.
enum DisplayText {
    /// A time as `2026-11-29 08:31:02 UTC`.
    static func time(_ milliseconds: Int64) -> String {
        let iso = SCIMDateTime.format(millisecondsSince1970: milliseconds)
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(8) + " UTC"
    }

    /// `1 member`, `12 members`.
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) " + (number == 1 ? singular : plural ?? singular + "s")
    }

    /// `3 days`, `6 hours`, `90 seconds`: the largest whole unit.
    static func duration(_ milliseconds: Int64) -> String {
        for (size, unit) in [(Int64(86_400_000), "day"), (3_600_000, "hour"), (60_000, "minute")]
        where milliseconds >= size && milliseconds % size == 0 {
            return count(Int(milliseconds / size), unit)
        }
        return count(Int(milliseconds / 1000), "second")
    }

    /// What holds a team membership, in words: `group Engineering, added by hand`.
    static func sources(_ sources: [TeamMembershipSource]) -> String {
        sources.map { source in
            switch source {
            case .manual: "added by hand"
            case .group(_, let displayName): "group \(displayName)"
            }
        }.joined(separator: ", ")
    }
}
