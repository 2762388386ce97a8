import Foundation
import RosterCore
import RosterTestSupport
import Testing

@testable import RosterPostgres

/// While PostgreSQL is unreachable the store answers at once with ``StoreUnavailable`` (503 upstream), never hangs
/// and never a bare driver error; `/readyz`'s probe says why.
@Suite struct OutageTests {
    @Test func anUnreachableServerIsStoreUnavailableWithinSeconds() async throws {
        let store = PostgresStore(
            target: try PostgresTarget(url: "postgresql://roster:x@127.0.0.1:9/roster?sslmode=disable"),
            maximumConnections: 2,
            logger: PostgresTestDatabase.quietLogger()
        )
        let running = Task { try? await store.run() }
        defer { running.cancel() }
        let started = ContinuousClock.now
        await #expect(throws: StoreUnavailable.self) { _ = try await store.directories() }
        #expect(ContinuousClock.now - started < .seconds(10))
        let problem = await store.readinessProblem()
        #expect(problem?.contains("127.0.0.1") == true, "\(problem ?? "nil")")
    }
}
