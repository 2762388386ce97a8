/// Checks a directory name given on the command line.
enum DirectoryName {
    /// The name without surrounding whitespace; a blank name or one with control characters fails with exit code 2.
    static func validated(_ name: String) throws(CommandFailure) -> String {
        try name.validatedName("--name")
    }
}
