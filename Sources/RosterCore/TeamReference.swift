/// How a team is named on the command line, in the read API and in the settings pages' links: by its id, its slug
/// or its name. Ids and slugs are unique; names usually are, and an ambiguous name is an error that lists the slugs.
public enum TeamReference {
    /// The team `reference` names among `candidates` (the teams whose id, slug or name might match, in any order):
    /// an exact id, else an exact slug, else an exact name, else a name equal ignoring case. Nil when none matches;
    /// a ``TeamError`` when a name matches several teams.
    public static func resolve(_ reference: String, among candidates: [Team]) throws(TeamError) -> Team? {
        if let team = candidates.first(where: { $0.id == reference }) ?? candidates.first(where: { $0.slug == reference }) {
            return team
        }
        let exact = candidates.filter { $0.name == reference }
        let named = exact.isEmpty ? candidates.filter { $0.name.lowercased() == reference.lowercased() } : exact
        guard named.count <= 1 else {
            let slugs = named.map(\.slug).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            throw TeamError("\(named.count) teams are named \"\(reference)\": name one by its slug (\(slugs))")
        }
        return named.first
    }
}
