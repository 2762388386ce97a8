import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RosterCore
import RosterSQLite
import RosterTestSupport
import Testing

@testable import RosterServer

/// What request logging writes: never queries (they can hold emails), except for the one debug directory.
@Suite struct RequestLoggingTests {
    /// A log handler that keeps what it is given.
    final class Recorder: LogHandler, @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            lock.withLock {
                lines.append("\(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
        }
        var text: String { lock.withLock { lines.joined(separator: "\n") } }
    }

    @Test func queriesAreLoggedOnlyForTheDebugDirectory() async throws {
        let recorder = Recorder()
        let store = try SQLiteStore.inMemory()
        let watched = try await makeDirectory(in: store, name: "Watched")
        let other = try await makeDirectory(in: store, name: "Other")
        var configuration = testConfiguration()
        configuration.debugDirectoryID = watched.id
        let router = buildRouter(configuration: configuration, store: store, logger: Logger(label: "test") { _ in recorder })
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: Logger(label: "test") { _ in recorder }
        )
        try await app.test(.router) { client in
            _ = try await client.scim(.get, "/Users?filter=userName+eq+%22secret.person%40example.com%22", in: other)
            _ = try await client.scim(.get, "/Users?filter=userName+eq+%22watched.person%40example.com%22", in: watched)
        }
        let text = recorder.text
        #expect(text.contains("hb.request.path=/api/scim/v2.0/\(other.id)/Users"), "\(text)")
        #expect(!text.contains("secret.person"), "no query of another directory")
        #expect(text.contains("watched.person"), "the debug directory's query")
        #expect(!text.contains(other.token) && !text.contains(watched.token), "never a token")
    }
}
