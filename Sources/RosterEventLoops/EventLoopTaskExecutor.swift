import NIOCore

/// Runs a task's jobs on one NIO event loop, as a task executor preference.
///
/// Two places use it: the HTTP server serves each connection on its socket's loop
/// (`ConnectionLoopHTTP1Channel` in RosterServer), and the PostgreSQL store runs a write transaction on its
/// connection's loop. In both, the awaits resume where the I/O they wait for completes, instead of hopping to Swift's
/// global executor and back.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop jobs run on.
    public let eventLoop: any EventLoop

    /// Makes an executor for `eventLoop`.
    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Schedules a job on the loop.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
