import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import Testing

extension SecurityTests {
    /// Rejecting a wrong bearer token takes as long when it repeats all but the last character of the real token as
    /// when it shares none, so response times cannot guide a guess character by character.
    ///
    /// Roster stores only the SHA-256 hash of a token and compares the presented token's hash with it in a fixed
    /// 32-step loop (``BearerToken/matches(_:storedHash:)``): a prefix of the token says nothing about a prefix of its
    /// hash, and the loop never stops early. The tests time wrong tokens of four kinds, interleaved in random order
    /// and compared by their medians (``InterleavedTiming``): one sharing no character in place with the real token,
    /// one equal to it but for the last character (both the real length), the real token less its last character,
    /// and the real token with one more.
    ///
    /// The bounds are loose on purpose (25% of the far miss's median for the comparison itself; 20% of it, or 20 µs,
    /// through HTTP), so that a loaded two-core machine running other tests meanwhile does not make them flake; the
    /// medians of the four kinds usually lie within 1–2% of each other. They still have power where a leak would be:
    /// an early-exit comparison of the stored token, measured the same way in ``earlyExitComparisonWouldBeCaught()``,
    /// makes the near miss about ten times as slow as the far miss (some 0.1 µs a character in this debug build), far
    /// beyond 25%. Through HTTP a request takes a few hundred microseconds here, in which the 4 µs of such a leak on a
    /// 43-character token drown (it would show only for tokens of thousands of characters), so that test guards
    /// against gross dependence instead: a second lookup or extra logging for near misses, a prefix index.
    @Suite("Token timing", .serialized)
    struct TokenTimingTests {
        /// The kinds of wrong token, in the order of ``wrongTokens(for:)``.
        static let kinds = ["no character in place", "all but the last character", "the token less its last character", "the token and one more"]

        /// Interleaved rounds through HTTP: four requests each, 3000 in all.
        static let httpRounds = 750

        /// The four wrong tokens for `token`: no character in place, all but the last, one short, one long.
        static func wrongTokens(for token: String) -> [String] {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            let far = String(token.map { character in alphabet[((alphabet.firstIndex(of: character) ?? 0) + 1) % alphabet.count] })
            let last = token.last ?? "A"
            let near = String(token.dropLast()) + (last == "A" ? "B" : "A")
            return [far, near, String(token.dropLast()), token + "A"]
        }

        /// An early-exit comparison of the stored token itself, as a naive server would make: the leak the bound
        /// must be able to catch.
        static func earlyExitEquals(_ presented: String, _ stored: String) -> Bool {
            var lhs = presented.utf8.makeIterator()
            var rhs = stored.utf8.makeIterator()
            while true {
                let (left, right) = (lhs.next(), rhs.next())
                if left != right { return false }
                if left == nil { return true }
            }
        }

        /// Times `compare` on each wrong token for `token`: `rounds` interleaved samples of `batch` calls each.
        static func timeComparison(
            token: String,
            rounds: Int,
            batch: Int,
            _ compare: (String) -> Bool
        ) async -> (timing: InterleavedTiming, accepted: Int) {
            let wrong = wrongTokens(for: token)
            var accepted = 0
            let timing = await InterleavedTiming.measure(cases: wrong.count, rounds: rounds) { index in
                for _ in 0..<batch where compare(wrong[index]) { accepted += 1 }
            }
            return (timing, accepted)
        }

        @Test("The token comparison takes the same time for a far and a near miss, and for wrong lengths")
        func comparisonDoesNotDependOnMatchingCharacters() async throws {
            let (token, hash) = BearerToken.generate()
            #expect(BearerToken.matches(token, storedHash: hash), "the comparison accepts the right token")
            let (timing, accepted) = await Self.timeComparison(token: token, rounds: 1000, batch: 20) {
                BearerToken.matches($0, storedHash: hash)
            }
            #expect(accepted == 0)
            for index in 1..<Self.kinds.count {
                let difference = timing.relativeDifference(index, from: 0)
                #expect(abs(difference) < 0.25, "\(Self.kinds[index]) differs by \(Int(difference * 100))%: \(timing.summary(Self.kinds))")
            }
        }

        @Test("The same measurement catches an early-exit comparison of the stored token")
        func earlyExitComparisonWouldBeCaught() async throws {
            let token = BearerToken.generate().token
            let (timing, accepted) = await Self.timeComparison(token: token, rounds: 1000, batch: 20) { Self.earlyExitEquals($0, token) }
            #expect(accepted == 0)
            let difference = timing.relativeDifference(1, from: 0)
            #expect(difference > 0.25, "an early exit shows: the near miss is \(Int(difference * 100))% slower: \(timing.summary(Self.kinds))")
        }

        @Test("Through HTTP, a near miss and a wrong length are rejected as fast as a far miss")
        func rejectionTimeDoesNotDependOnMatchingCharacters() async throws {
            let store = try SQLiteStore.inMemory()
            let directory = try await makeDirectory(in: store)
            var configuration = testConfiguration()
            configuration.failedAuthenticationsPerMinute = 1_000_000_000
            configuration.scimRequestsPerSecond = 0
            let app = testApplication(store: store, configuration: configuration)
            try await app.test(.router) { client in
                let wrong = Self.wrongTokens(for: directory.token)
                let uri = directory.path + "/Users"
                for _ in 0..<50 {
                    for token in wrong { _ = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"]) }
                }
                var statuses: [Int: Int] = [:]
                let timing = try await InterleavedTiming.measure(cases: wrong.count, rounds: Self.httpRounds) { index in
                    let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(wrong[index])"])
                    statuses[response.status.code, default: 0] += 1
                }
                #expect(statuses == [401: Self.httpRounds * wrong.count], "every wrong token was checked and refused")
                let medians = timing.medians
                for index in 1..<Self.kinds.count {
                    let difference = medians[index] - medians[0]
                    #expect(
                        abs(difference) < max(0.2 * medians[0], 20_000),
                        "\(Self.kinds[index]) differs by \(Int(difference)) ns: \(timing.summary(Self.kinds))"
                    )
                }
            }
        }
    }
}
