import RosterCore
import RosterTestSupport
import Testing

/// The token hash cache answers for a second, forgets at once, and never brings back a hash read before a change.
struct TokenHashCacheTests {
    @Test func aHashIsUsedForItsLifetimeOnly() {
        let cache = TokenHashCache()
        let readAt = ContinuousClock.now
        cache.remember([1], for: "d", readAt: readAt, generation: cache.generation)
        #expect(cache.hash(for: "d", now: readAt + .milliseconds(900)) == [1])
        #expect(cache.hash(for: "d", now: readAt + TokenHashCache.lifetime) == nil)
        #expect(cache.hash(for: "other", now: readAt) == nil)
    }

    @Test func aReadThatRacedAChangeIsNotRemembered() {
        let cache = TokenHashCache()
        let generation = cache.generation
        cache.forget("d")
        cache.remember([1], for: "d", readAt: .now, generation: generation)
        #expect(cache.hash(for: "d") == nil)
        cache.remember([2], for: "d", readAt: .now, generation: cache.generation)
        #expect(cache.hash(for: "d") == [2])
        cache.forget("d")
        #expect(cache.hash(for: "d") == nil)
    }
}
