extension String {
    /// The string without surrounding whitespace.
    func trimmed() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }

    /// The string on one line: line breaks become spaces.
    func replacingNewlines() -> String {
        String(self.map { $0.isNewline ? " " : $0 })
    }
}
