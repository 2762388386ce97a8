import Logging
import RosterCore
import ServiceLifecycle

/// Applies the audit trail's retention (`AUDIT_RETENTION_DAYS`): once the store is migrated and then every
/// `interval`, deletes the whole days of entries past it. Replicas may all run it; a deletion that another replica
/// already made deletes nothing. Ends at graceful shutdown.
public struct AuditRetentionService: Service {
    /// Where the trail is kept.
    let store: any AuditStore
    /// How long entries are kept.
    let retention: AuditRetention
    /// How often to look.
    let interval: Duration
    /// Where deletions and failures are reported.
    let logger: Logger
    /// Given once the store's migrations have run.
    let startsAfter: StartSignal?
    /// The current time in milliseconds since 1970.
    let now: @Sendable () -> Int64

    /// A service deleting entries of `store` past `retention`, every `interval` (an hour by default).
    public init(
        store: any AuditStore,
        retention: AuditRetention,
        interval: Duration = .seconds(3600),
        logger: Logger,
        startsAfter: StartSignal? = nil,
        now: @escaping @Sendable () -> Int64 = WallClock.millisecondsSince1970
    ) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.logger = logger
        self.startsAfter = startsAfter
        self.now = now
    }

    /// Deletes what is past the retention now and every interval until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await startsAfter?.wait()
            while !Task.isCancelled {
                await applyOnce()
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }

    /// Deletes the entries past the retention once; a failure is logged and tried again at the next interval.
    func applyOnce() async {
        let cutoff = retention.cutoff(at: now())
        do {
            let deleted = try await store.deleteAuditEntries(recordedBefore: cutoff)
            if deleted > 0 {
                logger.info("Audit entries past the retention deleted", metadata: ["count": "\(deleted)", "days": "\(retention.days)"])
            }
        } catch {
            logger.warning("Audit retention not applied: \(error)")
        }
    }
}
