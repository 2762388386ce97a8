import RosterCore

/// Checks the team names, slugs and group names given on the command line; a bad one fails with exit code 2.
enum TeamArguments {
    /// The name without surrounding whitespace; blank or with control characters fails.
    static func name(_ name: String) throws(CommandFailure) -> String {
        try name.validatedName("the team name")
    }

    /// A slug exactly as it will be stored: lowercase ASCII letters and digits in runs joined by single dashes.
    static func slug(_ slug: String) throws(CommandFailure) -> String {
        let canonical = Team.slug(from: slug)
        guard slug == canonical else {
            let hasLetters = slug.lowercased().unicodeScalars.contains { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            let suggestion = hasLetters ? " (such as \"\(canonical)\")" : ""
            throw .configuration(
                "--slug must be lowercase letters and digits joined by single dashes\(suggestion), not \"\(slug.replacingNewlines())\""
            )
        }
        return slug
    }

    /// A group name, kept exactly as typed (it must equal the group's `displayName`, case and spaces included); an
    /// empty one fails.
    static func groupName(_ name: String) throws(CommandFailure) -> String {
        guard !name.isEmpty else { throw .configuration("the group name must not be empty") }
        return name
    }
}
