/// Listener settings and per-connection limits.
package struct HTTPServerConfiguration: Sendable {
    package var host: String = "127.0.0.1"
    /// 0 picks a free port; read it back from `HTTPServer.boundPort`.
    package var port: Int = 8000
    /// Largest request line plus header block; beyond it the client gets 400 (as from DynamoDB) and the connection
    /// closes.
    package var maximumHeaderBytes: Int = 16 * 1024
    /// Largest request body; beyond it the client gets 413 and the connection closes.
    package var maximumBodyBytes: Int = 16 * 1024 * 1024
    /// A connection with no request in progress is closed after this long.
    package var idleTimeoutMilliseconds: Int = 60_000
    /// A request that started arriving must be complete within this long (slow-client protection).
    package var requestTimeoutMilliseconds: Int = 30_000
    /// During graceful shutdown, in-flight requests get this long to finish.
    package var shutdownGraceMilliseconds: Int = 10_000

    /// How connections are served: epoll loops (the default on Linux), a thread each, or Dispatch worker queues.
    package var connectionModel: ConnectionModel = .platformDefault

    /// Whether a request's handler may take a while (SwiftDynamo names operations whose work grows with a table).
    /// The epoll loops run such requests on a pool of `blockingThreadCount` threads, so that they do not hold up the other
    /// connections of their loop. (A write waiting for its group commit does not block: its answer carries an
    /// `HTTPDeferral`.) nil: nothing blocks.
    package var mayBlock: (@Sendable (HTTPRequest) -> Bool)?

    /// Connections open at once; beyond it, new connections are closed at once (each costs a thread).
    package var maximumConnections: Int = 4096

    /// Serial worker queues connections are spread over (`dispatchQueues` model). A write waits for its group
    /// commit on its worker, so there are more workers than cores: up to this many writers can share one fsync.
    package var workerCount: Int = 64

    /// Threads of the epoll loops' blocking pool (`mayBlock` requests, which are rare: a few suffice).
    package var blockingThreadCount: Int = 4

    package init() {}

    /// A parser with this configuration's header and body limits, for a new connection.
    func makeParser() -> HTTPRequestParser {
        HTTPRequestParser(maximumHeaderBytes: maximumHeaderBytes, maximumBodyBytes: maximumBodyBytes)
    }

    /// A new connection's deadline, starting now.
    func makeDeadline() -> ConnectionDeadline {
        ConnectionDeadline(idleTimeoutMilliseconds: idleTimeoutMilliseconds,
                           requestTimeoutMilliseconds: requestTimeoutMilliseconds,
                           nowMilliseconds: monotonicMilliseconds())
    }
}

/// How the HTTP server drives its connections.
package enum ConnectionModel: String, Sendable, CaseIterable {
    /// One thread per connection with blocking I/O: the kernel wakes the thread that answers.
    case threadPerConnection = "threads"
    /// Dispatch read sources delivering to a fixed set of serial worker queues.
    case dispatchQueues = "dispatch"
    /// One epoll loop per core (Linux), answering every ready connection in turn: no wake-up per request.
    case eventLoops = "epoll"

    /// Epoll loops where the platform has epoll (as fast as a thread each for one client, faster and with a far
    /// shorter tail for many; see docs/PERFORMANCE.md), a thread per connection elsewhere.
    package static var platformDefault: ConnectionModel {
        #if canImport(Glibc)
        return .eventLoops
        #else
        return .threadPerConnection
        #endif
    }
}
