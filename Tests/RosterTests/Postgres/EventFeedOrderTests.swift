import Foundation
import RosterCore
import Testing

@testable import RosterPostgres

/// The PostgreSQL event feed never skips: a reader that moves its cursor past every sequence it has seen still
/// sees every event, even when two transactions commit their events out of sequence order. A trigger makes one
/// transaction stall for a second between its event insert (which takes sequence 1) and its commit, while a second
/// transaction writes sequence 2; a reader polls the feed the whole time.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, "needs ROSTER_TEST_POSTGRES_URL (scripts/test.sh starts PostgreSQL)"))
struct EventFeedOrderTests {
    /// With the feed lock (the default): the reader sees both events, in order.
    @Test func theFeedNeverSkipsAnEventCommittedLate() async throws {
        let seen = try await feedAsAReaderSeesIt(ordersEvents: true)
        #expect(seen == [1, 2])
    }

    /// The sabotage check: the same run with the ordering guarantee switched off must lose an event, or the test
    /// above proves nothing.
    @Test func withoutTheFeedLockTheReaderSkipsAnEvent() async throws {
        let seen = try await feedAsAReaderSeesIt(ordersEvents: false)
        #expect(seen == [2], "the sabotaged feed should have skipped sequence 1, but the reader saw \(seen)")
    }

    /// The sequences a polling reader collects while a slow and a fast event writer race.
    private func feedAsAReaderSeesIt(ordersEvents: Bool) async throws -> [Int64] {
        try await PostgresTestDatabase.withStore(ordersEvents: ordersEvents) { store in
            try await store.write { transaction in
                try await transaction.execute(
                    """
                    CREATE FUNCTION stall_slow_event() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN IF NEW.resource_id = 'slow' THEN PERFORM pg_sleep(1); END IF; RETURN NEW; END $$
                    """
                )
                try await transaction.execute(
                    "CREATE TRIGGER stall_slow_event AFTER INSERT ON event FOR EACH ROW EXECUTE FUNCTION stall_slow_event()"
                )
            }
            let slowEvent = NewEvent(type: .userUpdated, directoryID: "d", resourceID: "slow", data: "{}")
            let fastEvent = NewEvent(type: .userUpdated, directoryID: "d", resourceID: "fast", data: "{}")
            let slow = Task { try await store.write { $0.append(slowEvent, at: 1) } }
            try await Task.sleep(for: .milliseconds(200))
            let fast = Task { try await store.write { $0.append(fastEvent, at: 2) } }
            var cursor: Int64 = 0
            var seen: [Int64] = []
            let deadline = ContinuousClock.now + .seconds(3)
            while ContinuousClock.now < deadline {
                for event in try await store.events(after: cursor, limit: 100) {
                    seen.append(event.sequence)
                    cursor = event.sequence
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await slow.value
            try await fast.value
            for event in try await store.events(after: cursor, limit: 100) { seen.append(event.sequence) }
            return seen
        }
    }
}
