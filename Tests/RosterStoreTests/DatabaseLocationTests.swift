import RosterCore
import RosterTestSupport
import Testing

/// The forms `SAML_DATABASE_URL` accepts, and the one-line errors for those it refuses.
@Suite("DatabaseLocation")
struct DatabaseLocationTests {
    @Test(arguments: [nil, "", "   ", "\t\n"])
    func unsetOrBlankIsTheDefaultFile(value: String?) throws {
        let location = try DatabaseLocation(parsing: value)
        #expect(location.sqlitePath == "./data/roster.sqlite")
        #expect(location.sqlitePath == DatabaseLocation.defaultSQLitePath)
        #expect(location.parentDirectory == "./data")
    }

    @Test(arguments: [
        ("sqlite:roster.sqlite", "roster.sqlite"),
        ("sqlite:./data/x.sqlite", "./data/x.sqlite"),
        ("sqlite:/var/lib/roster/x.sqlite", "/var/lib/roster/x.sqlite"),
        ("sqlite://data/x.sqlite", "data/x.sqlite"),
        ("sqlite:///var/lib/roster/x.sqlite", "/var/lib/roster/x.sqlite"),
        ("SQLite:///var/lib/roster/x.sqlite", "/var/lib/roster/x.sqlite"),
        ("file:data/x.sqlite", "data/x.sqlite"),
        ("file:///var/lib/roster/x.sqlite", "/var/lib/roster/x.sqlite"),
        ("FILE:/tmp/x.sqlite", "/tmp/x.sqlite"),
        ("  sqlite:/tmp/x.sqlite  ", "/tmp/x.sqlite"),
    ])
    func sqliteAndFileURLsNameAFile(value: String, path: String) throws {
        #expect(try DatabaseLocation(parsing: value).sqlitePath == path)
    }

    @Test(arguments: [
        ("/var/lib/roster/roster.sqlite", "/var/lib/roster/roster.sqlite"),
        ("./roster.sqlite", "./roster.sqlite"),
        ("roster.sqlite", "roster.sqlite"),
        ("data/roster.db", "data/roster.db"),
        // A colon after a slash or a dot is part of a path, not a scheme.
        ("./weird:name.sqlite", "./weird:name.sqlite"),
        ("/srv/a:b/roster.sqlite", "/srv/a:b/roster.sqlite"),
        ("1data:x.sqlite", "1data:x.sqlite"),
        // A plain path is never percent-decoded.
        ("/tmp/100%25.sqlite", "/tmp/100%25.sqlite"),
    ])
    func plainPathsAreUsedAsTheyAre(value: String, path: String) throws {
        #expect(try DatabaseLocation(parsing: value).sqlitePath == path)
    }

    @Test func urlFormsArePercentDecoded() throws {
        #expect(try DatabaseLocation(parsing: "sqlite:///srv/my%20data/r%C3%A9.sqlite").sqlitePath == "/srv/my data/ré.sqlite")
        #expect(throws: DatabaseLocationError.malformed(scheme: "sqlite", reason: "it has a malformed %-escape")) {
            try DatabaseLocation(parsing: "sqlite:/tmp/bad%zz.sqlite")
        }
        #expect(throws: DatabaseLocationError.self) { try DatabaseLocation(parsing: "file:/tmp/cut%2") }
        #expect(throws: DatabaseLocationError.self) { try DatabaseLocation(parsing: "file:/tmp/%FF.sqlite") }
    }

    @Test(arguments: ["sqlite:", "sqlite://", "file:", "file://", "sqlite:   "])
    func urlWithoutAPathIsRefused(value: String) {
        #expect(throws: DatabaseLocationError.self) { try DatabaseLocation(parsing: value) }
    }

    @Test(arguments: [
        "postgres://roster:s3cret@db.internal:5432/roster",
        "postgresql://postgres:@localhost:5450/cal-saml",
        "postgresql://postgres:@localhost:5450/cal-saml?sslmode=no-verify",
        "POSTGRES://localhost/roster",
        "postgresql:///roster",
    ])
    func postgresURLsNameAPostgresDatabase(value: String) throws {
        let location = try DatabaseLocation(parsing: "  \(value)\n")
        #expect(location == .postgres(url: value))
        #expect(location.postgresURL == value)
        #expect(location.sqlitePath == nil)
        #expect(location.parentDirectory == nil)
    }

    @Test func postgresDescriptionHidesThePassword() throws {
        let location = try DatabaseLocation(parsing: "postgresql://roster:s3cret@db.internal:5432/roster?sslmode=require")
        #expect(location.description == "PostgreSQL database postgresql://roster:****@db.internal:5432/roster?sslmode=require")
        #expect(!String(reflecting: location).contains("s3cret"))
        #expect(try DatabaseLocation(parsing: "postgres://localhost/roster").description == "PostgreSQL database postgres://localhost/roster")
        #expect(DatabaseLocation(sqlitePath: "/tmp/r.sqlite").description == "SQLite file /tmp/r.sqlite")
    }

    @Test(arguments: [
        ("mysql://root@localhost/roster", "mysql"),
        ("http://example.com/roster.sqlite", "http"),
        ("Redis://localhost", "redis"),
        ("s3:bucket/roster.sqlite", "s3"),
    ])
    func otherSchemesAreRefused(value: String, scheme: String) throws {
        let error = try #require(throws: DatabaseLocationError.self) { try DatabaseLocation(parsing: value) }
        #expect(error == .unsupportedScheme(scheme))
        #expect(!error.description.contains("\n"))
        #expect(error.description.contains("\"\(scheme):\""))
        #expect(!error.description.contains("localhost"))
        #expect(error.description.contains("postgresql://"))
    }

    @Test func parentDirectory() {
        #expect(DatabaseLocation(sqlitePath: "/var/lib/roster/r.sqlite").parentDirectory == "/var/lib/roster")
        #expect(DatabaseLocation(sqlitePath: "/r.sqlite").parentDirectory == "/")
        #expect(DatabaseLocation(sqlitePath: "data/r.sqlite").parentDirectory == "data")
        #expect(DatabaseLocation(sqlitePath: "r.sqlite").parentDirectory == nil)
    }
}
