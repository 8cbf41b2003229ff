#if canImport(Glibc)
import CEpoll
import Glibc
import Locking
import Synchronization

/// One epoll loop on a thread of its own, serving many non-blocking connections (`connection_model: epoll`).
///
/// Why: with a thread per connection, every request costs the server a sleep and a wake-up in the kernel. Under load,
/// one `epoll_wait` here returns many ready connections, and the loop answers them all without a context switch, as
/// nginx does. The price: a handler that blocks holds up every connection of its loop. So this model suits the
/// in-memory server and durability policies that do not wait for an fsync; with `--durability fsync`, waiting
/// writers would serialise on the few loops and lose group commit (the server warns at startup then).
///
/// Thread safety: `connections` is behind a lock because the accept queue adds to it; everything else, and every
/// `LoopConnection`, belongs to the loop's thread.
final class EventLoop: @unchecked Sendable {
    private let epoll: Int32
    private let configuration: HTTPServerConfiguration
    private let handler: HTTPServer.Handler
    private let connections = Lock<[Int32: LoopConnection]>([:])
    private let shuttingDown = Atomic<Bool>(false)
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)

    /// How often the loop wakes, even when idle, to expire connections and notice shutdown.
    static let sweepMilliseconds: Int32 = 200

    init?(configuration: HTTPServerConfiguration, handler: @escaping HTTPServer.Handler) {
        let descriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        epoll = descriptor
        self.configuration = configuration
        self.handler = handler
    }

    var connectionCount: Int { connections.withLock { $0.count } }
    var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }

    /// Starts the loop's thread (detached; it ends once shutdown has closed every connection).
    func start() -> Bool {
        startDetachedThread { self.run() }
    }

    /// Takes an accepted non-blocking socket; called from the accept queue.
    func add(_ descriptor: Int32) {
        let connection = LoopConnection(descriptor: descriptor, configuration: configuration)
        connections.withLock { $0[descriptor] = connection }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        event.data.fd = descriptor
        if epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) != 0 {
            connections.withLock { _ = $0.removeValue(forKey: descriptor) }
            close(descriptor)
        }
    }

    /// Idle connections close at the next sweep, busy ones after their current response.
    func beginShutdown() { shuttingDown.store(true, ordering: .releasing) }

    /// After the grace period: closes every connection still open.
    func forceClose() {
        let open = connections.withLock { Array($0.values) }
        for connection in open { _ = Glibc.shutdown(connection.descriptor, Int32(SHUT_RDWR)) }
    }

    private func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        var lastSweep = monotonicMilliseconds()
        while true {
            let ready = epoll_wait(epoll, events, Int32(capacity), Self.sweepMilliseconds)
            if ready > 0 {
                for position in 0..<Int(ready) {
                    let event = events[position]
                    let descriptor = event.data.fd
                    guard let connection = connections.withLock({ $0[descriptor] }) else { continue }
                    service(connection, events: event.events)
                }
            }
            let now = monotonicMilliseconds()
            if now - lastSweep >= Int64(Self.sweepMilliseconds) {
                lastSweep = now
                if sweep(now: now) { break }
            }
        }
        readBuffer.deallocate()
        close(epoll)
    }

    private func service(_ connection: LoopConnection, events: UInt32) {
        let shutting = isShuttingDown
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            connection.readable(buffer: readBuffer, handler: handler, shuttingDown: shutting)
        }
        if !connection.isClosed, events & EPOLLOUT.rawValue != 0 { connection.flush() }
        settle(connection)
    }

    /// Watches for writability while output is pending, closes what is finished.
    private func settle(_ connection: LoopConnection) {
        if connection.isFinished {
            remove(connection)
            return
        }
        // Level-triggered: a connection whose reader is too slow stops being watched for input until it catches up.
        let wanted = (connection.wantsReadable ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0)
            | (connection.wantsWritable ? EPOLLOUT.rawValue : 0)
        if wanted != connection.watchedEvents {
            var event = epoll_event()
            event.events = wanted
            event.data.fd = connection.descriptor
            _ = epoll_ctl(epoll, EPOLL_CTL_MOD, connection.descriptor, &event)
            connection.watchedEvents = wanted
        }
    }

    private func remove(_ connection: LoopConnection) {
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, connection.descriptor, nil)
        connections.withLock { _ = $0.removeValue(forKey: connection.descriptor) }
        close(connection.descriptor)
    }

    /// Closes expired connections, and idle ones during shutdown; true when shutdown has emptied the loop.
    private func sweep(now: Int64) -> Bool {
        let shutting = isShuttingDown
        let open = connections.withLock { Array($0.values) }
        for connection in open {
            if connection.hasExpired(nowMilliseconds: now) || (shutting && connection.isIdle) {
                connection.markClosed()
                remove(connection)
            }
        }
        return shutting && connectionCount == 0
    }
}

/// One connection of an `EventLoop`: the parser, pending output and deadline. Touched only on the loop's thread.
final class LoopConnection {
    let descriptor: Int32
    private var parser: HTTPRequestParser
    private var deadline: ConnectionDeadline
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterFlush = false
    private(set) var isClosed = false
    /// The epoll events the loop currently watches for this connection.
    var watchedEvents: UInt32 = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
    /// Reading pauses while this much output waits for a slow reader (backpressure).
    static let maximumPendingOutput = 4 * 1024 * 1024

    init(descriptor: Int32, configuration: HTTPServerConfiguration) {
        self.descriptor = descriptor
        parser = configuration.makeParser()
        deadline = configuration.makeDeadline()
    }

    var isIdle: Bool { !parser.hasPartialRequest && outputOffset == output.count }
    var wantsWritable: Bool { !isClosed && outputOffset < output.count }
    var wantsReadable: Bool { output.count - outputOffset < Self.maximumPendingOutput }
    /// Closed, or done: told to close and everything sent.
    var isFinished: Bool { isClosed || (closeAfterFlush && outputOffset == output.count && !parser.hasPartialRequest) }

    func hasExpired(nowMilliseconds: Int64) -> Bool { deadline.hasExpired(nowMilliseconds: nowMilliseconds) }
    func markClosed() { isClosed = true }

    /// Reads what has arrived (stopping while a slow reader leaves output pending), answers it, sends the answers.
    func readable(buffer: UnsafeMutableRawBufferPointer, handler: HTTPServer.Handler, shuttingDown: Bool) {
        var sawEndOfFile = false
        while !isClosed && wantsReadable {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK { isClosed = true }
                break
            }
            if count == 0 {
                sawEndOfFile = true
                break
            }
            if !closeAfterFlush || parser.hasPartialRequest {
                let events = parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                if !closeAfterFlush,
                   EventResponder.answer(events, handler: handler, shuttingDown: shuttingDown, to: &output) {
                    closeAfterFlush = true
                }
            }
            if count < buffer.count { break }
        }
        deadline.received(partial: parser.hasPartialRequest, nowMilliseconds: monotonicMilliseconds())
        if sawEndOfFile { closeAfterFlush = true }
        flush()
    }

    /// Sends pending output until the socket is full.
    func flush() {
        while outputOffset < output.count && !isClosed {
            let offset = outputOffset
            let count = output.withUnsafeBytes { bytes in
                send(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK { isClosed = true }
                return
            }
            outputOffset += count
        }
        if outputOffset == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 1 << 20)
            outputOffset = 0
        }
    }
}
#endif
