import RosterCore

/// The directories as a table or as JSON.
struct DirectoryListing {
    /// The directories, oldest first.
    var directories: [Directory]
    /// Roster's public URL.
    var baseURL: String

    /// A table with a header row, columns padded; a hint when there are no directories.
    func table() -> String {
        guard !directories.isEmpty else {
            return "No directories yet. Create one with: roster directory create --name NAME --provider okta"
        }
        let rows =
            [["ID", "NAME", "PROVIDER", "SCIM BASE URL"]]
            + directories.map { directory in
                [
                    directory.id,
                    directory.enabled ? directory.name : "\(directory.name) (disabled)",
                    directory.provider.displayName,
                    directory.scimBaseURL(baseURL: baseURL),
                ]
            }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            (0..<3).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count + 2) }.joined() + row[3]
        }.joined(separator: "\n")
    }

    /// One JSON array, one object per directory.
    func json() throws -> String {
        try JSONOutput.line(
            directories.map { directory in
                Entry(
                    id: directory.id,
                    name: directory.name,
                    provider: directory.provider.rawValue,
                    provider_name: directory.provider.displayName,
                    base_url: directory.scimBaseURL(baseURL: baseURL),
                    enabled: directory.enabled
                )
            }
        )
    }

    private struct Entry: Encodable {
        var id: String
        var name: String
        var provider: String
        var provider_name: String
        var base_url: String
        var enabled: Bool
    }
}
