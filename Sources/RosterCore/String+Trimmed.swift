extension StringProtocol {
    /// The text without surrounding whitespace and line breaks (form fields, settings, header values, names).
    public func trimmed() -> String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
