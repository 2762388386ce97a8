import Logging
import RosterCore
import RosterSQLite
import SCIM

/// The SCIM base URL tests configure; `meta.location` and `Location` start with it.
public let testBaseURL = "https://roster.example"

/// A directory made for a test, with its plaintext token.
public struct TestDirectory: Sendable {
    /// The directory id.
    public var id: String
    /// Its bearer token.
    public var token: String

    /// The SCIM base path of the directory, as a client requests it.
    public var path: String { SCIMPaths.prefix + "/" + id }
    /// The directory's SCIM Base URL under ``testBaseURL``.
    public var baseURL: String { SCIMPaths.base(baseURL: testBaseURL, directoryID: id) }
    /// The `Authorization` header value.
    public var authorization: String { "Bearer " + token }

    /// A directory with `id` and its plaintext `token`.
    public init(id: String, token: String) {
        self.id = id
        self.token = token
    }
}

/// The store the endpoint tests run against: the real SQLite store, on a fresh in-memory database. Tests that
/// spy on the store's calls or inject failures wrap it in ``SpyStore``.
public func makeStore() async throws -> SQLiteStore {
    try SQLiteStore.inMemory()
}

/// Creates a directory with a fresh token.
public func makeDirectory(in store: some RosterStore, name: String = "Acme", provider: DirectoryProvider = .okta) async throws -> TestDirectory {
    let (token, hash) = BearerToken.generate()
    let directory = try await store.createDirectory(name: name, provider: provider, tokenHash: hash)
    return TestDirectory(id: directory.id, token: token)
}

/// A logger that stays quiet unless a test fails loudly.
public func testLogger() -> Logger {
    var logger = Logger(label: "roster-tests")
    logger.logLevel = .critical
    return logger
}

extension JSONValue {
    /// The member `name` (ignoring case) of an object.
    public subscript(name: String) -> JSONValue? { objectValue?.value(forName: name) }

    /// The element at `index` of an array.
    public subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }

    /// The integer value of a number.
    public var intValue: Int? {
        if case .number(let number) = self { return number.intValue }
        return nil
    }

    /// The names of an object's members.
    public var keys: [String] { objectValue?.keys ?? [] }
}

/// An error with its full text, for a test's report.
public struct TestFailure: Error, CustomStringConvertible {
    /// The text.
    public var description: String

    /// Makes one.
    public init(_ description: String) { self.description = description }
}
