import HummingbirdCore
import Logging
import NIOCore
import RosterEventLoops

/// Hummingbird's HTTP/1.1 channel, with each connection's whole task (decoding, routing, middleware, handlers,
/// SQLite's synchronous reads) run on the event loop that owns the connection's socket.
///
/// Without it, a request hops from the socket's loop to Swift's cooperative pool and back for every read and write
/// of the connection. Installing NIO's loops as Swift's *global* executor removes the hops too, but it starved
/// connections (BENCHMARKS.md, "The executor"): the global hook enqueues a job on the loop it was enqueued from, so
/// every connection's task, started by the one task that accepts connections, ran on that task's loop, while half of
/// the sockets belonged to the other. Here each connection prefers its own socket's loop (a task executor
/// preference, inherited by the child tasks it starts), so connections spread over the loops as the sockets do.
public struct ConnectionLoopHTTP1Channel: ServerChildChannel {
    /// The channel that does the HTTP work.
    let http1: HTTP1Channel

    /// Wraps `http1`.
    public init(_ http1: HTTP1Channel) {
        self.http1 = http1
    }

    /// Sets the connection's pipeline up, as Hummingbird's channel does.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        http1.setup(channel: channel, logger: logger)
    }

    /// Serves the connection's requests on its own event loop.
    public func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await http1.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with each connection served on its socket's event loop (``ConnectionLoopHTTP1Channel``).
    public static func http1OnConnectionLoops(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in ConnectionLoopHTTP1Channel(HTTP1Channel(responder: responder, configuration: configuration)) }
    }
}
