import PostgresNIO
import RosterTestSupport
import Testing

@testable import RosterPostgres

/// PostgreSQL keeps the first 63 bytes of a prepared statement's name: two names that agree on those would make the
/// second statement fail with "already exists" on every connection that prepared the first.
struct PreparedStatementNameTests {
    @Test func everyPreparedStatementNameFitsAndIsDistinct() {
        let names = [
            PostgresPreparedStatements.TokenHash.name,
            PostgresPreparedStatements.User.name,
            PostgresPreparedStatements.LockedUser.name,
            PostgresPreparedStatements.Group.name,
            PostgresPreparedStatements.LockedGroup.name,
            PostgresWriteStatements.InsertEvents<NoTouch>.name,
            PostgresWriteStatements.InsertEvents<TouchGroup>.name,
            PostgresWriteStatements.InsertEvents<TouchUser>.name,
            PostgresWriteStatements.CreateUser.name,
            PostgresWriteStatements.AddMembers.name,
            PostgresWriteStatements.RemoveMembers.name,
            PostgresWriteStatements.SwapMembers.name,
        ]
        for name in names { #expect(name.utf8.count <= 63, "\(name) is longer than PostgreSQL keeps") }
        #expect(Set(names.map { String(decoding: $0.utf8.prefix(63), as: UTF8.self) }).count == names.count)
    }
}
