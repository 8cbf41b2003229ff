import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One client connection served by its own thread with blocking reads and writes.
///
/// Why: the kernel wakes this thread directly when a request arrives, and the thread answers it in place. The
/// Dispatch model (`Connection`) takes two hops per request — the event thread, then a worker queue — which cost
/// more than answering a GetItem. A handler may block (a write waiting for its group commit) without holding up
/// any other connection, so concurrent writers share fsyncs.
///
/// Thread safety: everything but `registry` belongs to the connection's thread.
final class ThreadedConnection: @unchecked Sendable {
    let descriptor: Int32
    private let configuration: HTTPServerConfiguration
    private let handler: HTTPServer.Handler
    private let registry: ConnectionRegistry

    /// How often a waiting connection wakes from its blocking read to check its deadline and shutdown.
    static let pollSliceMilliseconds = 200

    init(descriptor: Int32, configuration: HTTPServerConfiguration, handler: @escaping HTTPServer.Handler,
         registry: ConnectionRegistry) {
        self.descriptor = descriptor
        self.configuration = configuration
        self.handler = handler
        self.registry = registry
    }

    /// Starts the connection's thread (detached); the thread closes the descriptor when it ends.
    func start() -> Bool {
        startDetachedThread { self.run() }
    }

    private func run() {
        defer {
            registry.remove(descriptor)
            close(descriptor)
        }
        var parser = configuration.makeParser()
        var deadline = configuration.makeDeadline()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)
        defer { buffer.deallocate() }
        var output: [UInt8] = []
        var closing = false
        while !closing {
            let now = monotonicMilliseconds()
            if deadline.hasExpired(nowMilliseconds: now) { return }
            if registry.isShuttingDown && !parser.hasPartialRequest { return }
            // A blocking read that gives up after the receive timeout (one poll slice, set at accept), so the loop
            // notices deadlines and shutdown without a separate poll call per request.
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
                return
            }
            if count == 0 { return }
            let events = parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            deadline.received(partial: parser.hasPartialRequest, nowMilliseconds: monotonicMilliseconds())
            closing = EventResponder.answer(events, handler: handler, shuttingDown: registry.isShuttingDown,
                                            to: &output)
            guard sendAll(output) else { return }
            output.removeAll(keepingCapacity: output.capacity <= 1 << 20)
        }
    }

    /// Writes everything; false when the peer is gone or stopped reading for longer than the send timeout.
    private func sendAll(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                send(descriptor, buffer.baseAddress.map { $0 + sent }, buffer.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            sent += count
        }
        return true
    }
}

/// The open threaded connections, for graceful shutdown.
final class ConnectionRegistry: Sendable {
    private let open = Mutex<Set<Int32>>([])
    private let shuttingDown = Atomic<Bool>(false)

    var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }
    var count: Int { open.withLock { $0.count } }

    func add(_ descriptor: Int32) { open.withLock { _ = $0.insert(descriptor) } }
    func remove(_ descriptor: Int32) { open.withLock { _ = $0.remove(descriptor) } }

    /// Connections notice within a poll slice; those between requests close, busy ones after their response.
    func beginShutdown() { shuttingDown.store(true, ordering: .releasing) }

    /// After the grace period: wakes every connection still open so that its thread ends.
    func forceClose() {
        open.withLock { descriptors in
            for descriptor in descriptors { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
    }
}
