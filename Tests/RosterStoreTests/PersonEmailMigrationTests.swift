import Foundation
import GRDB
import RosterCore
import RosterTestSupport
import SCIM
import Testing

@testable import RosterSQLite

/// Migration v6 gives every existing user the person they are, so that a database made before it counts teams by
/// person as soon as Roster starts on it.
@Suite struct PersonEmailMigrationTests {
    @Test func usersStoredBeforeV6GetTheirPersonEmail() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-v6-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("roster.sqlite").path
        let old = try DatabaseQueue(path: path)
        try RosterMigrations.migrator.migrate(old, upTo: "v5: webhook endpoints and deliveries, API keys")
        let documents = [
            #"{"userName":"jane","emails":[{"value":"other@example.com"},{"value":"Jane@Example.com","primary":true}]}"#,
            #"{"userName":"Bob@Example.com"}"#,
            #"{"userName":"nobody","emails":[{"value":"not-an-address"}]}"#,
        ]
        try await old.write { db in
            try db.execute(sql: "INSERT INTO directory (id, name, provider, token_hash, created_at) VALUES ('d', 'D', 'okta', x'00', 0)")
            // More than one batch of the backfill.
            for index in 0..<2_503 {
                let document = documents[index % documents.count]
                try db.execute(
                    sql: """
                        INSERT INTO scim_user (id, directory_id, user_name, user_name_key, active, created_at, modified_at, version, document)
                        VALUES (?, 'd', ?, ?, 1, 0, 0, 1, ?)
                        """,
                    arguments: ["u\(index)", "user\(index)", "user\(index)", document]
                )
            }
        }
        try old.close()

        let store = try SQLiteStore(path: path)
        let counts = try await store.commits.write { db in
            try Row.fetchAll(db, sql: "SELECT IFNULL(person_email, '-'), COUNT(*) FROM scim_user GROUP BY 1 ORDER BY 1")
                .map { "\($0[0] as String) \($0[1] as Int)" }
        }
        #expect(counts == ["- 834", "bob@example.com 834", "jane@example.com 835"])
    }

    @Test func thePersonIsThePrimaryEmailElseTheFirstElseAnEmailUserName() throws {
        func person(_ json: String) throws -> String? {
            PersonIdentity.email(of: try #require(try JSONParser().parse(json).objectValue))
        }
        #expect(try person(#"{"userName":"j","emails":[{"value":"a@x.io"},{"value":"B@X.io","primary":true}]}"#) == "b@x.io")
        #expect(try person(#"{"userName":"j","emails":[{"value":"nope"},{"value":" A@X.io "}]}"#) == "a@x.io")
        #expect(try person(#"{"userName":"J@X.io"}"#) == "j@x.io")
        #expect(try person(#"{"userName":"j","emails":[{"value":"@x.io"}]}"#) == nil)
        #expect(try person(#"{"userName":"j@"}"#) == nil)
    }
}
