import RosterCore

extension String {
    /// The string on one line: line breaks become spaces.
    func replacingNewlines() -> String {
        String(self.map { $0.isNewline ? " " : $0 })
    }

    /// The string without surrounding whitespace, as a name given on the command line must be: a blank one, or one
    /// with control characters (a line break, a tab), fails with exit code 2, the error naming it `what`.
    func validatedName(_ what: String) throws(CommandFailure) -> String {
        let name = trimmed()
        guard !name.isEmpty else { throw .configuration("\(what) must not be blank") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .configuration("\(what) must be one line of text without control characters")
        }
        return name
    }
}
