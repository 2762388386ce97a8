import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import SCIM
import Testing

/// The OpenAPI document and the router agree: every /api/v1 route is documented, and every documented operation
/// answers (with real ids substituted).
@Suite struct OpenAPIDocumentTests {
    /// The (method, path) pairs the document lists, paths with `{name}` parameters.
    static func documentedOperations(_ document: JSONValue) -> Set<String> {
        var operations = Set<String>()
        for (path, item) in document["paths"]?.objectValue ?? JSONObject() {
            for (method, _) in item.objectValue ?? JSONObject() {
                operations.insert(method.uppercased() + " /api/v1" + path)
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationAnswers() async throws {
        let store = try SQLiteStore.inMemory()
        let router = buildRouter(configuration: testConfiguration(), store: store, logger: testLogger())
        let routed = Set(
            router.routes.map { "\($0.method.rawValue) \($0.path)" }
                .filter { $0.contains(" /api/v1/") && !$0.hasSuffix("/openapi.json") }
                .map { $0.replacingOccurrences(of: ":", with: "") }
        )
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: testLogger())
        try await app.test(.router) { client in
            let document = try await client.execute(uri: "/api/v1/openapi.json", method: .get).json()
            #expect(document["openapi"]?.stringValue?.hasPrefix("3.") == true)
            let documented = Self.documentedOperations(document)
            #expect(
                documented == routed,
                "documented but not routed: \(documented.subtracting(routed)); routed but not documented: \(routed.subtracting(documented))"
            )

            let directory = try await makeDirectory(in: store)
            let user = try await client.createUser(named: "alice@example.com", in: directory)
            let team = try await store.createTeam(name: "Platform", slug: nil)
            try await store.addManualMember(team: team.id, directoryID: directory.id, userID: user)
            let (key, hash) = APIKey.generate()
            _ = try await store.createAPIKey(name: "doc", prefix: "rst_", tokenHash: hash)
            for operation in documented.sorted() {
                let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
                let path = parts[1].replacingOccurrences(of: "{userId}", with: user).replacingOccurrences(
                    of: "{id}",
                    with: parts[1].contains("/teams/") ? team.id : user
                )
                let body = parts[0] == "POST" ? ByteBuffer(string: #"{"user_id":"\#(user)"}"#) : nil
                let response = try await client.execute(
                    uri: path,
                    method: HTTPRequest.Method(parts[0])!,
                    headers: [.authorization: "Bearer \(key)", .contentType: "application/json"],
                    body: body
                )
                #expect((200..<300).contains(response.status.code), "\(operation) answered \(response.status)")
            }
        }
    }
}
