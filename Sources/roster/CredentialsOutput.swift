import ArgumentParser

/// How `directory create` and `directory rotate-token` print a directory's SCIM credentials: as text for an admin, or
/// with `--json` as one JSON object for a script.
struct CredentialsOutput: ParsableArguments {
    @Flag(help: "Print one JSON object: {\"id\", \"name\", \"provider\", \"base_url\", \"token\"}.")
    var json = false

    /// Prints `credentials` as `--json` asks; `created` says whether the directory is new or its token was rotated.
    func print(_ credentials: DirectoryCredentials, created: Bool) throws {
        Console.out(json ? try credentials.json() : credentials.text(created: created))
    }
}
