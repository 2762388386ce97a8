import Foundation
import Logging
import PostgresNIO
import RosterCore
import RosterPostgres
import RosterSQLite
import Testing

/// The two stores the store suite runs against. PostgreSQL joins when `ROSTER_TEST_POSTGRES_URL` names a server
/// (scripts/test.sh starts one); each test gets a fresh database.
public enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// The embedded SQLite store, on a fresh in-memory database.
    case sqlite
    /// The PostgreSQL store, on a fresh database of the test server.
    case postgres

    /// The stores this run can test: SQLite always, PostgreSQL when a server is configured.
    public static var available: [StoreKind] {
        PostgresTestDatabase.isConfigured ? [.sqlite, .postgres] : [.sqlite]
    }

    /// The name in test output.
    public var testDescription: String { rawValue }

    /// Runs `body` with a fresh store of this kind, and tears it down afterwards.
    public func withStore<T>(now: (@Sendable () -> Int64)? = nil, _ body: (any RosterStorage) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            return try await body(try SQLiteStore.inMemory(now: now))
        case .postgres:
            return try await PostgresTestDatabase.withStore(now: now) { store in try await body(store) }
        }
    }
}

/// Fresh PostgreSQL databases for tests: each is a copy of a migrated template created once per test process with
/// an ICU `en-US` collation (not `C`), so that tests catch ordering that depends on the database's locale.
public enum PostgresTestDatabase {
    /// The maintenance database's URL, from `ROSTER_TEST_POSTGRES_URL`.
    public static let maintenanceURL = ProcessInfo.processInfo.environment["ROSTER_TEST_POSTGRES_URL"]

    /// Whether a server is configured.
    public static var isConfigured: Bool { maintenanceURL != nil }

    /// The migrated template, made once.
    private static let template = TemplateDatabase()

    /// A new database's URL (TLS off: tests talk to loopback).
    public static func makeDatabase() async throws -> String {
        let base = try #require(maintenanceURL)
        let template = try await template.name()
        let name = "roster_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        try await execute(on: base, "CREATE DATABASE \(name) TEMPLATE \(template)")
        return url(base, database: name)
    }

    /// Runs `body` with a store on a fresh database, its pool running, then drops the database.
    public static func withStore<T>(
        now: (@Sendable () -> Int64)? = nil,
        ordersEvents: Bool = true,
        _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let url = try await makeDatabase()
        let store = PostgresStore(
            target: try PostgresTarget(url: url),
            maximumConnections: 16,
            logger: quietLogger(),
            now: now,
            ordersEvents: ordersEvents
        )
        let running = Task { try? await store.run() }
        defer { running.cancel() }
        let result = try await body(store)
        running.cancel()
        await running.value
        try? await execute(
            on: try #require(maintenanceURL),
            "DROP DATABASE IF EXISTS \(url.split(separator: "/").last?.split(separator: "?").first ?? "") WITH (FORCE)"
        )
        return result
    }

    /// `base` with its database replaced by `database`, TLS off.
    public static func url(_ base: String, database: String) -> String {
        let withoutQuery = base.split(separator: "?", maxSplits: 1)[0]
        let prefix = withoutQuery[..<(withoutQuery.lastIndex(of: "/") ?? withoutQuery.endIndex)]
        return "\(prefix)/\(database)?sslmode=disable"
    }

    /// Runs one statement on its own connection.
    public static func execute(on url: String, _ sql: String) async throws {
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
            id: 1,
            logger: quietLogger()
        )
        defer { Task { try? await connection.close() } }
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger())
        } catch {
            throw TestFailure(String(reflecting: error))
        }
    }

    public static func quietLogger() -> Logger {
        var logger = Logger(label: "roster-tests.postgres")
        logger.logLevel = .critical
        return logger
    }

    /// Creates the template database once: ICU `en-US` collation, every migration applied by a real store.
    private actor TemplateDatabase {
        private var created: String?

        func name() async throws -> String {
            if let created { return created }
            let base = try #require(PostgresTestDatabase.maintenanceURL)
            let name = "roster_template_\(UUID().uuidString.prefix(8).lowercased())"
            try await PostgresTestDatabase.execute(
                on: base,
                "CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            )
            let store = PostgresStore(target: try PostgresTarget(url: PostgresTestDatabase.url(base, database: name)), maximumConnections: 1)
            let running = Task { try? await store.run() }
            do { try await store.migrate() } catch { throw TestFailure(String(reflecting: error)) }
            running.cancel()
            await running.value
            created = name
            return name
        }
    }
}
