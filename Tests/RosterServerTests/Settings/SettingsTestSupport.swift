import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport

/// Runs `body` against the whole router on a fresh in-memory store, configured with `SAML_ADMINS`.
func withSettingsApp(
    configuration: ServerConfiguration = settingsConfiguration(),
    _ body: @Sendable (any TestClientProtocol, SQLiteStore) async throws -> Void
) async throws {
    let store = try SQLiteStore.inMemory()
    let app = testApplication(store: store, configuration: configuration)
    try await app.test(.router) { client in
        try await body(client, store)
    }
}
