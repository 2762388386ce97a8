import Dispatch
import Foundation

/// Catches SIGINT and SIGTERM while it lives: instead of ending the process, each one calls a handler, so that a
/// long-running command can stop cleanly. ``stop()`` restores the default behaviour.
final class SignalWatch {
    /// The signals watched.
    static let stopSignals: [Int32] = [SIGINT, SIGTERM]

    private let sources: [any DispatchSourceSignal]

    /// Starts calling `handler` on a background queue whenever one of `signals` arrives.
    init(_ signals: [Int32] = SignalWatch.stopSignals, handler: @escaping @Sendable () -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    /// Stops watching; the signals end the process again.
    func stop() {
        for source in sources {
            source.cancel()
            signal(Int32(source.handle), SIG_DFL)
        }
    }
}
