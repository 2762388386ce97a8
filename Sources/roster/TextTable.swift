/// A plain-text table for terminals: a header row, every column but the last padded to its widest cell plus two
/// spaces, as `roster directory list` lays them out.
struct TextTable {
    var header: [String]
    /// The data rows, each as long as the header.
    var rows: [[String]]

    /// The table, one line per row, header first; line breaks inside cells become spaces.
    func rendered() -> String {
        let lines = ([header] + rows).map { $0.map { $0.replacingNewlines() } }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            cells.indices.map { column in
                column == cells.count - 1 ? cells[column] : cells[column] + String(repeating: " ", count: widths[column] - cells[column].count + 2)
            }.joined()
        }.joined(separator: "\n")
    }
}
