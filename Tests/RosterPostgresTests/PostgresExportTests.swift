import Foundation
import HummingbirdTesting
import Logging
import PostgresNIO
import RosterCore
import RosterSQLite
import RosterTestSupport
import SCIM
import Testing

@testable import RosterPostgres

/// The URL of the throwaway PostgreSQL 15 cluster that scripts/test.sh starts (scripts/postgres.sh); these tests
/// run only when it is set.
let testPostgresURL = ProcessInfo.processInfo.environment["ROSTER_TEST_POSTGRES_URL"]

/// `roster export-postgres` against a real PostgreSQL: round trip, refusal and --replace, TLS modes, clear errors.
@Suite(.enabled(if: testPostgresURL != nil, "needs ROSTER_TEST_POSTGRES_URL (scripts/test.sh starts PostgreSQL)"))
struct PostgresExportTests {
    /// A populated SQLite file in a temporary folder.
    struct Source {
        var folder: URL
        var store: SQLiteStore
        var directory: TestDirectory
        var tricky: String
    }

    static func makeSource() async throws -> Source {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("roster.sqlite").path)
        let directory = try await makeDirectory(in: store)
        let tricky = "Zoë \"Q\"\tTab\\Back\nNew line ✓"
        var users: [String] = []
        for index in 0..<30 {
            let body: JSONValue = .object(
                JSONObject([
                    ("schemas", .array([.string(SCIMSchemaURN.user)])),
                    ("userName", .string("user\(index)@example.com")),
                    ("displayName", .string(index == 0 ? tricky : "User \(index)")),
                    ("emails", .array([.object(JSONObject([("value", .string("user\(index)@example.com")), ("type", .string("work"))]))])),
                    ("active", .bool(index % 7 != 3)),
                ])
            )
            users.append(try await store.create(.user, directoryID: directory.id, input: try ResourceNormalizer.normalize(body, schema: .user)).id)
        }
        for name in ["Engineering", "Sales"] {
            let members = users.enumerated().filter { name == "Engineering" ? $0.offset % 2 == 0 : $0.offset % 3 == 0 }.map(\.element)
            let body: JSONValue = .object(
                JSONObject([
                    ("schemas", .array([.string(SCIMSchemaURN.group)])),
                    ("displayName", .string(name)),
                    ("members", .array(members.map { .object(JSONObject([("value", .string($0))])) })),
                ])
            )
            _ = try await store.create(.group, directoryID: directory.id, input: try ResourceNormalizer.normalize(body, schema: .group))
        }
        let team = try await store.createTeam(name: "Platform", slug: nil)
        _ = try await store.map(team: team.id, groupName: "Engineering", directoryID: nil)
        _ = try await store.map(team: team.id, groupName: "Sales", directoryID: directory.id)
        try await store.addManualMember(team: team.id, directoryID: directory.id, userID: users[1])
        let endpoint = try await store.createWebhookEndpoint(url: "https://app.example.com/hook", eventTypes: ["user.created"], secret: "whsec_x")
        _ = try await store.redeliverWebhook(endpointID: endpoint.id, sequence: 1, at: 5)
        let (_, hash) = APIKey.generate()
        _ = try await store.createAPIKey(name: "app", prefix: "rst_abc", tokenHash: hash)
        let access = AdminAccess(store: store, admins: AdminAllowList(parsing: "a@example.com"))
        _ = try await access.startSession(email: "a@example.com", method: .loginLink)
        return Source(folder: folder, store: store, directory: directory, tricky: tricky)
    }

    /// A new empty database in the test cluster; returns its URL (with `query`).
    static func makeDatabase(query: String = "sslmode=disable") async throws -> String {
        let base = try #require(testPostgresURL)
        let name = "roster_\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await withConnection(base + "?sslmode=disable") { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: testLogger())
        }
        let prefix = base[..<(base.lastIndex(of: "/") ?? base.endIndex)]
        return "\(prefix)/\(name)?\(query)"
    }

    static func withConnection<T>(_ url: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let target = try PostgresTarget(url: url)
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: target.host,
                port: target.port,
                username: target.username,
                password: target.password,
                database: target.database,
                tls: .disable
            ),
            id: 7,
            logger: testLogger()
        )
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw TestFailure(String(reflecting: error))
        }
    }

    static func export(_ source: Source, to url: String, replace: Bool = false) async throws(PostgresExportError) -> ExportSummary {
        let target = try PostgresTarget(url: url)
        let snapshot: SQLiteExportSource
        do {
            snapshot = try SQLiteExportSource(store: source.store)
        } catch {
            throw .failed("\(error)")
        }
        return try await PostgresExporter(target: target, batchSize: 7, logger: testLogger()).export(from: snapshot, replace: replace) { _ in }
    }

    @Test func aPopulatedStoreRoundTripsAndVerifies() async throws {
        let source = try await Self.makeSource()
        defer { try? FileManager.default.removeItem(at: source.folder) }
        let url = try await Self.makeDatabase()
        let summary = try await Self.export(source, to: url)
        let rows = Dictionary(uniqueKeysWithValues: summary.tables.map { ($0.name, $0.rows) })
        #expect(rows["scim_user"] == 30)
        #expect(rows["scim_group"] == 2)
        #expect(rows["group_member"] == 15 + 10)
        #expect(rows["scim_user_email"] == 30)
        #expect(rows["team_mapping"] == 2)
        #expect((rows["team_membership"] ?? 0) > 15)
        #expect(rows["webhook_endpoint"] == 1 && rows["webhook_delivery"] == 1 && rows["api_key"] == 1 && rows["admin_sign_in"] == 1)
        #expect(rows["event"] == (try await source.store.events(after: 0, limit: 10_000).count))
        #expect(summary.tables.map(\.name) == ExportCatalog.tables.map(\.name))

        try await Self.withConnection(url) { connection in
            let tricky = try await connection.query(
                "SELECT display_name_key, active FROM scim_user WHERE user_name = 'user0@example.com'",
                logger: testLogger()
            )
            for try await (name, active) in tricky.decode((String?, Bool).self) {
                #expect(name == source.tricky.lowercased())
                #expect(active)
            }
            let inactive = try await connection.query("SELECT COUNT(*) FROM scim_user WHERE NOT active", logger: testLogger())
            for try await count in inactive.decode(Int64.self) { #expect(count == 4) }
            let hashes = try await connection.query("SELECT octet_length(token_hash) FROM directory", logger: testLogger())
            for try await length in hashes.decode(Int32.self) { #expect(length == 32) }
            let sessions = try await connection.query("SELECT COUNT(*) FROM admin_session", logger: testLogger())
            for try await count in sessions.decode(Int64.self) { #expect(count == 0, "sessions stay behind") }
            // Identity columns continue after the copied rows, as a live back end needs.
            let next = try await connection.query(
                """
                INSERT INTO scim_user (id, directory_id, user_name, user_name_key, active, created_at, modified_at, version, document)
                SELECT 'new', id, 'new', 'new', true, 0, 0, 1, '{}' FROM directory LIMIT 1 RETURNING row_id
                """,
                logger: testLogger()
            )
            for try await rowID in next.decode(Int64.self) { #expect(rowID == 31) }
            // The per-directory counts are not copied: the triggers count the copied rows, and the row added since.
            let counted = try await connection.query(
                "SELECT (SELECT SUM(count) FROM resource_count WHERE counter IN ('active_users', 'inactive_users'))::BIGINT, (SELECT COUNT(*) FROM scim_user)",
                logger: testLogger()
            )
            for try await (sum, rows) in counted.decode((Int64, Int64).self) { #expect(sum == rows && rows == 31) }
            let migrations = try await connection.query("SELECT COUNT(*) FROM roster_migration", logger: testLogger())
            for try await count in migrations.decode(Int64.self) { #expect(count == Int64(PostgresMigrations.all.count)) }
        }
    }

    @Test func aTargetWithRosterDataIsRefusedUnlessReplace() async throws {
        let source = try await Self.makeSource()
        defer { try? FileManager.default.removeItem(at: source.folder) }
        let url = try await Self.makeDatabase()
        _ = try await Self.export(source, to: url)
        await #expect(throws: PostgresExportError.targetHasData(try PostgresTarget(url: url).database)) {
            _ = try await Self.export(source, to: url)
        }
        _ = try await source.store.createTeam(name: "Added later", slug: nil)
        let replaced = try await Self.export(source, to: url, replace: true)
        #expect(replaced.tables.first { $0.name == "team" }?.rows == 2)
        #expect(replaced.tables.first { $0.name == "scim_user" }?.rows == 30)
    }

    @Test func selfSignedTLSWorksWithNoVerifyAndFailsVerifyFull() async throws {
        let source = try await Self.makeSource()
        defer { try? FileManager.default.removeItem(at: source.folder) }
        for mode in ["no-verify", "require", "prefer"] {
            let url = try await Self.makeDatabase(query: "sslmode=\(mode)")
            let summary = try await Self.export(source, to: url)
            #expect(summary.tables.count == ExportCatalog.tables.count, "\(mode)")
        }
        let strict = try await Self.makeDatabase(query: "sslmode=verify-full")
        do {
            _ = try await Self.export(source, to: strict)
            Issue.record("verify-full accepted a self-signed certificate")
        } catch {
            guard case .connection(let message) = error else {
                Issue.record("expected a connection error, got \(error)")
                return
            }
            #expect(message.contains("TLS"), "\(message)")
            #expect(!message.contains("\n"))
        }
    }

    /// A source that fails in the middle of the copy.
    struct FailingSource: ExportSource {
        func exportCount(_ table: ExportTable) async throws -> Int { 1 }
        func exportBatches(_ table: ExportTable, batchSize: Int, _ body: ([[ExportValue]]) async throws -> Void) async throws {
            guard table.name == "directory" else { throw TestFailure("the disk went away") }
            try await body([[.text("d"), .text("Okta"), .text("okta"), .blob([1, 2]), .integer(1), .integer(0)]])
        }
    }

    @Test func aFailureHalfwayLeavesTheTargetUntouched() async throws {
        let url = try await Self.makeDatabase()
        let exporter = PostgresExporter(target: try PostgresTarget(url: url), logger: testLogger())
        await #expect(throws: PostgresExportError.self) {
            _ = try await exporter.export(from: FailingSource(), replace: false) { _ in }
        }
        let tables = try await Self.withConnection(url) { connection in
            var names: [String] = []
            let rows = try await connection.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
                logger: testLogger()
            )
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
        #expect(tables.isEmpty, "one transaction: nothing of the failed export stays (\(tables))")
    }

    @Test func wrongPasswordAndUnreachableHostAreOneClearLine() async throws {
        let source = try await Self.makeSource()
        defer { try? FileManager.default.removeItem(at: source.folder) }
        let url = try #require(testPostgresURL)
        let wrong = url.replacingOccurrences(of: #"roster:[^@]*@"#, with: "roster:wrong@", options: .regularExpression) + "?sslmode=disable"
        do {
            _ = try await Self.export(source, to: wrong)
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.description.contains("refused the login"), "\(error)")
            #expect(error.description.contains("password authentication failed"), "\(error)")
        }
        do {
            _ = try await Self.export(source, to: "postgresql://roster:x@127.0.0.1:1/roster?sslmode=disable")
            Issue.record("a closed port was reached")
        } catch {
            #expect(error.description.hasPrefix("cannot reach PostgreSQL at 127.0.0.1:1"), "\(error)")
        }
    }
}
/// PostgreSQL URLs as the seed guide writes them; no server needed.
@Suite struct PostgresTargetTests {
    @Test func urlsAreParsedLikeTheSeedWritesThem() throws {
        let target = try PostgresTarget(url: "postgresql://postgres:@localhost:5450/cal-saml?sslmode=no-verify")
        #expect(target.host == "localhost" && target.port == 5450 && target.username == "postgres" && target.password == "")
        #expect(target.database == "cal-saml" && target.sslMode == .noVerify)
        let encoded = try PostgresTarget(url: "postgres://us%40er:p%2Fss@[::1]/db")
        #expect(
            encoded.username == "us@er" && encoded.password == "p/ss" && encoded.host == "::1" && encoded.port == 5432 && encoded.sslMode == .prefer
        )
        #expect(throws: PostgresExportError.self) { try PostgresTarget(url: "mysql://x@y/z") }
        #expect(throws: PostgresExportError.self) { try PostgresTarget(url: "postgresql://x@y/z?sslmode=maybe") }
        #expect(throws: PostgresExportError.self) { try PostgresTarget(url: "postgresql://x@y:99999/z") }
        #expect(throws: PostgresExportError.self) { try PostgresTarget(url: "postgresql://x@y") }
    }
}
