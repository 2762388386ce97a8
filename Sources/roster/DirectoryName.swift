/// Checks a directory name given on the command line.
enum DirectoryName {
    /// The name without surrounding whitespace; a blank name or one with control characters fails with exit code 2.
    static func validated(_ name: String) throws(CommandFailure) -> String {
        let trimmed = name.trimmed()
        guard !trimmed.isEmpty else { throw .configuration("--name must not be blank") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .configuration("--name must be one line of text without control characters")
        }
        return trimmed
    }
}
