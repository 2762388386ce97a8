import Hummingbird
import HummingbirdTesting
import Logging
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import SCIM
import Testing

/// The configuration tests use: ``testBaseURL``, a random port, and the defaults otherwise.
func testConfiguration(maxBodyBytes: Int = 10_485_760, defaultPageSize: Int = 100, maxPageSize: Int = 1000) -> ServerConfiguration {
    ServerConfiguration(port: 0, baseURL: testBaseURL, maxBodyBytes: maxBodyBytes, defaultPageSize: defaultPageSize, maxPageSize: maxPageSize)
}

/// The application tests run: the whole router for a store that holds everything (the SQLite store), the SCIM
/// endpoints alone for a SCIM-only test double.
func testApplication<Store: RosterStore>(store: Store, configuration: ServerConfiguration) -> Application<RouterResponder<AppRequestContext>> {
    let router: Router<AppRequestContext> =
        if let storage = store as? any RosterStorage {
            buildRouter(configuration: configuration, store: storage, logger: testLogger())
        } else {
            buildSCIMRouter(configuration: configuration, store: store)
        }
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
        logger: testLogger()
    )
}

/// Runs `body` against the router of an app on `store`, with one directory made beforehand.
func withRouterApp<Store: RosterStore>(
    store: Store,
    configuration: ServerConfiguration = testConfiguration(),
    _ body: @Sendable (any TestClientProtocol, TestDirectory) async throws -> Void
) async throws {
    let directory = try await makeDirectory(in: store)
    let app = testApplication(store: store, configuration: configuration)
    try await app.test(.router) { client in
        try await body(client, directory)
    }
}

/// Runs `body` against the router of an app on a fresh store, with one directory made beforehand.
func withRouterApp(
    configuration: ServerConfiguration = testConfiguration(),
    _ body: @Sendable (any TestClientProtocol, TestDirectory) async throws -> Void
) async throws {
    try await withRouterApp(store: try await makeStore(), configuration: configuration, body)
}

extension TestClientProtocol {
    /// Sends a request to a path under the directory (`path` starts with `/`), authenticated with its token unless
    /// `headers` has its own `Authorization` or `authenticated` is false. A body is sent as
    /// `application/scim+json` unless `headers` names a `Content-Type` (or `contentType` is nil).
    @discardableResult
    func scim(
        _ method: HTTPRequest.Method,
        _ path: String,
        in directory: TestDirectory,
        body: String? = nil,
        contentType: String? = "application/scim+json",
        headers: HTTPFields = [:],
        authenticated: Bool = true
    ) async throws -> TestResponse {
        var headers = headers
        if authenticated, headers[.authorization] == nil { headers[.authorization] = directory.authorization }
        if body != nil, headers[.contentType] == nil, let contentType { headers[.contentType] = contentType }
        return try await execute(uri: directory.path + path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Creates a user from a JSON body and returns the created resource; expects 201.
    func createUser(_ body: String, in directory: TestDirectory, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let response = try await scim(.post, "/Users", in: directory, body: body)
        #expect(response.status == .created, "\(response.bodyText)", sourceLocation: sourceLocation)
        return try response.json()
    }

    /// Creates a user with a userName and returns its id; expects 201.
    func createUser(named userName: String, in directory: TestDirectory, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let body =
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(userName)","name":{"givenName":"G","familyName":"F"},"emails":[{"value":"\#(userName)","type":"work","primary":true}],"active":true}"#
        return try await createUser(body, in: directory, sourceLocation: sourceLocation)["id"]?.stringValue ?? ""
    }

    /// Creates a group and returns its id; expects 201.
    func createGroup(
        named displayName: String,
        members: [String] = [],
        in directory: TestDirectory,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws -> String
    {
        let memberList = members.map { #"{"value":"\#($0)"}"# }.joined(separator: ",")
        let body = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"\#(displayName)","members":[\#(memberList)]}"#
        let response = try await scim(.post, "/Groups", in: directory, body: body)
        #expect(response.status == .created, "\(response.bodyText)", sourceLocation: sourceLocation)
        return try response.json()["id"]?.stringValue ?? ""
    }
}

extension TestResponse {
    /// The body as text.
    var bodyText: String { String(buffer: body) }

    /// The body parsed as JSON.
    func json() throws -> JSONValue {
        try JSONParser().parse(Array(body.readableBytesView))
    }

    /// Whether the response is `application/scim+json`.
    var isSCIM: Bool { headers[.contentType] == "application/scim+json" }
}

/// Asserts a SCIM Error message with `status` (and `scimType` when given) and a non-empty `detail`.
func expectSCIMError(
    _ response: TestResponse,
    status: Int,
    scimType: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(response.status.code == status, "\(response.bodyText)", sourceLocation: sourceLocation)
    #expect(response.isSCIM, sourceLocation: sourceLocation)
    let json = try response.json()
    #expect(json["schemas"]?[0]?.stringValue == SCIMSchemaURN.error, sourceLocation: sourceLocation)
    #expect(json["status"]?.stringValue == String(status), sourceLocation: sourceLocation)
    #expect(json["detail"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    if let scimType {
        #expect(json["scimType"]?.stringValue == scimType, sourceLocation: sourceLocation)
    }
}

/// Runs `body` against a real server (on a free port) for an app on `store`, with one directory made beforehand.
func withLiveApp<Store: RosterStore>(
    store: Store,
    provider: DirectoryProvider = .okta,
    _ body: @Sendable (any TestClientProtocol, TestDirectory) async throws -> Void
) async throws {
    let directory = try await makeDirectory(in: store, provider: provider)
    let app = testApplication(store: store, configuration: testConfiguration())
    try await app.test(.live) { client in
        try await body(client, directory)
    }
}

/// An IdP replaying its requests: a fixed set of headers on every request, the way the IdP sends them.
struct IdentityProviderReplay: Sendable {
    /// The connection.
    var client: any TestClientProtocol
    /// The directory it is connected to.
    var directory: TestDirectory
    /// The headers sent on every request.
    var headers: HTTPFields
    /// Whether `Content-Type` is sent on requests without a body too (Okta sends it on DELETE).
    var contentTypeWithoutBody: Bool
    /// The `Content-Type` of request bodies.
    var contentType: String

    /// Sends one request; `headers` replaces the usual ones when given.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, body: String? = nil, headers: HTTPFields? = nil) async throws -> TestResponse {
        var fields = headers ?? self.headers
        if headers == nil, body != nil || contentTypeWithoutBody { fields[.contentType] = contentType }
        return try await client.execute(uri: directory.path + path, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) })
    }
}
