/// What a list command prints: a table for people (a hint instead when there is nothing to list), or with `--json` one
/// JSON array for scripts, each from the same items.
protocol Listing {
    /// What the table says when there is nothing to list: how to make the first item.
    var emptyHint: String { get }
    /// The table's header row.
    var header: [String] { get }
    /// The table's rows, each as long as the header.
    var rows: [[String]] { get }
    /// The JSON array, one object per item.
    var entries: any Encodable { get }
}

extension Listing {
    /// A table with a header row, columns padded (``TextTable``); the hint when there are no rows.
    func table() -> String {
        let rows = self.rows
        return rows.isEmpty ? emptyHint : TextTable(header: header, rows: rows).rendered()
    }

    /// The JSON array on one line (``JSONOutput``).
    func json() throws -> String {
        try JSONOutput.line(entries)
    }
}
