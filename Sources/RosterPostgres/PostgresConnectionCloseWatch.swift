import NIOConcurrencyHelpers
import PostgresNIO
import RosterCore

/// Tells leases when their connection closes.
///
/// postgres-nio writes each statement to its channel without a write promise, so a statement issued on a
/// connection that has just closed is dropped and its caller waits forever. A lease therefore registers here for
/// the life of its body and is answered ``StoreUnavailable`` when the connection closes under it. One callback is
/// attached to each connection's close future, however many leases it serves (a callback per lease would pile up on
/// a connection that lives for days).
final class PostgresConnectionCloseWatch: Sendable {
    /// The process's watch.
    static let shared = PostgresConnectionCloseWatch()

    private struct Registry {
        var watchers: [ObjectIdentifier: [UInt64: @Sendable () -> Void]] = [:]
        var nextToken: UInt64 = 0
    }

    private let registry = NIOLockedValueBox(Registry())

    /// Calls `onClose` (on the connection's event loop) when `connection` closes, unless ``unwatch(_:token:)`` comes
    /// first; returns the token that unregisters it.
    func watch(_ connection: PostgresConnection, onClose: @escaping @Sendable () -> Void) -> UInt64 {
        let key = ObjectIdentifier(connection)
        let (token, isFirst) = registry.withLockedValue { registry -> (UInt64, Bool) in
            registry.nextToken &+= 1
            let isFirst = registry.watchers[key] == nil
            registry.watchers[key, default: [:]][registry.nextToken] = onClose
            return (registry.nextToken, isFirst)
        }
        if isFirst {
            // The callback holds the connection until it closes, so its identifier is not reused before then.
            connection.closeFuture.whenComplete { [registry] _ in
                let watchers = registry.withLockedValue { $0.watchers.removeValue(forKey: ObjectIdentifier(connection)) }
                for onClose in (watchers ?? [:]).values { onClose() }
            }
        }
        return token
    }

    /// Forgets a registration made by ``watch(_:onClose:)``.
    func unwatch(_ connection: PostgresConnection, token: UInt64) {
        let key = ObjectIdentifier(connection)
        registry.withLockedValue { registry in
            // The connection's entry stays (even empty) while it is open: its close callback is attached once.
            _ = registry.watchers[key]?.removeValue(forKey: token)
        }
    }
}

extension PostgresConnection {
    /// Throws ``StoreUnavailable`` when the connection has closed: a statement sent now would never be answered.
    func requireOpen() throws {
        if isClosed { throw StoreUnavailable(reason: "the connection to PostgreSQL closed") }
    }
}
