import NIOConcurrencyHelpers
import NIOCore
import RosterCore

/// One caller's wait for a pooled connection and the body it runs on it, answered exactly once by whichever ends
/// first: the body, the lease deadline, the connection closing under the body, or the caller being cancelled.
///
/// The body runs in a task of its own, so the caller never waits on something that cannot end: postgres-nio's lease
/// can wait a minute for a server that is down, and a statement written to a connection that has just closed is
/// never answered. A lease that comes through after the caller was answered gives its connection back without
/// running the body, so a 503 never hides a write that happens later.
final class PostgresLease<T: Sendable>: Sendable {
    /// Where the lease stands.
    private enum Stage {
        /// Waiting for a connection.
        case waiting
        /// The body runs.
        case leased
        /// The caller was answered before a connection came: none will be used.
        case abandoned
    }

    private struct State {
        var stage = Stage.waiting
        var caller: CheckedContinuation<Result<T, any Error>, Never>?
        var pendingAnswer: Result<T, any Error>?
        var tasks: [Task<Void, Never>] = []
        var stopTimer: (@Sendable () -> Void)?
    }

    private let state = NIOLockedValueBox(State())

    /// Makes a lease; ``wait()`` starts it.
    init() {}

    /// Whether the body ran (so a failure came from the body, not from the wait for a connection).
    var wasLeased: Bool { state.withLockedValue { $0.stage == .leased } }

    /// Waits for the first answer; `start` launches the work that gives one and returns its tasks and how to stop
    /// its timer (both happen once the caller is answered).
    func wait(start: () -> ([Task<Void, Never>], @Sendable () -> Void)) async -> Result<T, any Error> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLockedValue { state -> Result<T, any Error>? in
                    if let answer = state.pendingAnswer { return answer }
                    state.caller = continuation
                    return nil
                }
                if let ready {
                    continuation.resume(returning: ready)
                    return
                }
                let (tasks, stopTimer) = start()
                let answered = state.withLockedValue { state -> Bool in
                    state.tasks = tasks
                    state.stopTimer = stopTimer
                    return state.caller == nil
                }
                if answered {
                    for task in tasks { task.cancel() }
                    stopTimer()
                }
            }
        } onCancel: {
            abandon(with: CancellationError())
        }
    }

    /// Called with the leased connection: true when the body may run, false when the caller was already answered.
    func begin() -> Bool {
        state.withLockedValue { state -> Bool in
            guard state.stage == .waiting, state.pendingAnswer == nil else { return false }
            state.stage = .leased
            return true
        }
    }

    /// Answers the caller with the body's result or the lease's failure.
    func finish(_ result: Result<T, any Error>) {
        answer(result)
    }

    /// Answers the caller with `error` unless it was answered; a lease still waiting will not run the body.
    func abandon(with error: any Error) {
        state.withLockedValue { state in
            if state.stage == .waiting { state.stage = .abandoned }
        }
        answer(.failure(error))
    }

    /// Answers with `error` only while still waiting for a connection (the deadline does not cut a running body).
    func expire(with error: any Error) {
        let expired = state.withLockedValue { state -> Bool in
            guard state.stage == .waiting else { return false }
            state.stage = .abandoned
            return true
        }
        if expired { answer(.failure(error)) }
    }

    private func answer(_ result: Result<T, any Error>) {
        let (caller, tasks, stopTimer) = state.withLockedValue {
            state -> (CheckedContinuation<Result<T, any Error>, Never>?, [Task<Void, Never>], (@Sendable () -> Void)?) in
            guard state.pendingAnswer == nil else { return (nil, [], nil) }
            state.pendingAnswer = result
            defer { state.caller = nil }
            return (state.caller, state.caller == nil ? [] : state.tasks, state.caller == nil ? nil : state.stopTimer)
        }
        caller?.resume(returning: result)
        // The body's task is not cancelled when it answered itself; the timer always stops.
        stopTimer?()
        if case .failure = result { for task in tasks { task.cancel() } }
    }
}
