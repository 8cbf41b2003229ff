/// Accepts HTTP/1.1 connections on a POSIX socket and answers each request with `handler`.
/// TODO(http helper): implement (non-blocking sockets, Dispatch, keep-alive, pipelining, limits, timeouts).
package final class HTTPServer: Sendable {
    /// Called for every complete request, on a Dispatch worker thread; must be thread-safe.
    package typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    package let configuration: HTTPServerConfiguration
    private let handler: Handler

    package init(configuration: HTTPServerConfiguration, handler: @escaping Handler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Binds and listens; returns once the socket accepts connections.
    package func start() throws(HTTPServerError) {}

    /// The port actually bound (useful with port 0).
    package var boundPort: Int { configuration.port }

    /// Stops accepting, lets in-flight requests finish (up to the grace period), closes all connections.
    package func shutdown() {}
}

/// A listener-level failure (bind, listen), naming the system call and errno.
package struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    package var call: String
    package var errno: Int32
    package var description: String { "\(call) failed: errno \(errno)" }
    package init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }
}
