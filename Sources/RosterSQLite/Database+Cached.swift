import GRDB

extension Database {
    /// Runs one SQL statement through the connection's statement cache: the statements of SCIM writes run on every
    /// request, and compiling them each time costs as much as running them.
    func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
