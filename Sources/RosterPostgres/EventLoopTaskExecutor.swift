import NIOCore

/// Runs a task's jobs on a NIO event loop: the loop of the connection a lease holds, so that the body's awaits on
/// that connection's statements resume where their answers arrive instead of hopping to the global executor.
final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop jobs run on.
    let eventLoop: any EventLoop

    /// Makes an executor for `eventLoop`.
    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Schedules a job on the loop.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
