/// Listener settings and per-connection limits.
package struct HTTPServerConfiguration: Sendable {
    package var host: String = "127.0.0.1"
    /// 0 picks a free port; read it back from `HTTPServer.boundPort`.
    package var port: Int = 8000
    /// Largest request header block; beyond it the client gets 431 and the connection closes.
    package var maximumHeaderBytes: Int = 16 * 1024
    /// Largest request body; beyond it the client gets 413 and the connection closes.
    package var maximumBodyBytes: Int = 16 * 1024 * 1024
    /// A connection with no request in progress is closed after this long.
    package var idleTimeoutMilliseconds: Int = 60_000
    /// A request that started arriving must be complete within this long (slow-client protection).
    package var requestTimeoutMilliseconds: Int = 30_000
    /// During graceful shutdown, in-flight requests get this long to finish.
    package var shutdownGraceMilliseconds: Int = 10_000

    /// Serial worker queues connections are spread over. Handlers may block briefly (a write waiting for its group
    /// commit), so there are more workers than cores: up to this many writers can share one fsync.
    package var workerCount: Int = 64

    package init() {}
}
