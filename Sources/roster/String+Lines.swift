extension String {
    /// The string on one line: line breaks become spaces.
    func replacingNewlines() -> String {
        String(self.map { $0.isNewline ? " " : $0 })
    }
}
