#if canImport(Glibc)
import CEpoll
import Glibc
import Locking
import Synchronization

/// One epoll loop on a thread of its own, serving many non-blocking connections (`connection_model: epoll`).
///
/// Why: with a thread per connection, every request costs the server a sleep and a wake-up in the kernel. Under load,
/// one `epoll_wait` here returns many ready connections, and the loop answers them all without a context switch, as
/// nginx does. A handler that blocked would hold up every connection of its loop, so:
/// - an answer that must wait (a write's group commit: `HTTPResponse.deferral`) is handed back by callback once it
///   may leave, and the loop goes on serving its other connections meanwhile;
/// - requests the configuration says may take a while (`mayBlock`) run on a `BlockingPool` thread.
/// Either way the connection reads nothing more until the answer is back through the loop's eventfd, so answers
/// leave in request order. A loop serving a single connection waits in place instead: nobody else waits on it, and
/// a lone durable writer then leads its own commit without two thread hand-offs.
///
/// Thread safety: `connections` is behind a lock because the accept queue adds to it, `completions` because pool
/// threads and deferral callbacks add to it; everything else, and every `LoopConnection`, belongs to the loop's
/// thread.
final class EventLoop: @unchecked Sendable {
    private let epoll: Int32
    /// Written by pool threads to wake the loop for `completions`.
    private let wakeDescriptor: Int32
    private let configuration: HTTPServerConfiguration
    let handler: HTTPServer.Handler
    private let pool: BlockingPool?
    private let connections = Lock<[Int32: LoopConnection]>([:])
    private let completions = Lock(Completions())

    /// Answers finished off the loop, waiting to be sent; `stopped` once the loop has closed its eventfd.
    private struct Completions {
        var answers: [(connection: LoopConnection, bytes: [UInt8], closing: Bool)] = []
        var stopped = false
    }
    private let shuttingDown = Atomic<Bool>(false)
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)

    /// How often the loop wakes, even when idle, to expire connections and notice shutdown.
    static let sweepMilliseconds: Int32 = 200

    init?(configuration: HTTPServerConfiguration, handler: @escaping HTTPServer.Handler, pool: BlockingPool?) {
        let descriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        let wake = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wake
        guard wake >= 0, epoll_ctl(descriptor, EPOLL_CTL_ADD, wake, &event) == 0 else {
            if wake >= 0 { close(wake) }
            close(descriptor)
            return nil
        }
        epoll = descriptor
        wakeDescriptor = wake
        self.configuration = configuration
        self.handler = handler
        self.pool = pool
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
                    if descriptor == wakeDescriptor {
                        deliverCompletions()
                        continue
                    }
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
        completions.withLock { completions in
            completions.stopped = true
            close(wakeDescriptor)
        }
        close(epoll)
    }

    /// Whether a request goes to the blocking pool rather than being answered on the loop. A loop serving a single
    /// connection answers even those itself: nobody else waits on it.
    func shouldRunOnPool(_ request: HTTPRequest) -> Bool {
        guard pool != nil, let mayBlock = configuration.mayBlock, mayBlock(request) else { return false }
        return connectionCount > 1
    }

    /// Answers `parsed` on a pool thread; the answer comes back through `completions`.
    func runOnPool(_ parsed: HTTPRequestParser.ParsedRequest, for connection: LoopConnection, shuttingDown: Bool) {
        let handler = handler
        pool?.submit { [self] in
            var bytes: [UInt8] = []
            let closing = EventResponder.respond(to: parsed, handler: handler, shuttingDown: shuttingDown, to: &bytes)
            complete(connection, with: bytes, closing: closing)
        }
    }

    /// Hands an answer finished off the loop (on the pool, or by a deferral's callback) back to the loop.
    func complete(_ connection: LoopConnection, with bytes: [UInt8], closing: Bool) {
        // One wake-up per batch: answers added while others wait are taken with them (the loop reads the eventfd
        // before it takes the list, so none is left behind).
        completions.withLock { completions in
            // After the loop has stopped its eventfd is closed (and the number may belong to another file by now):
            // the answer has nobody left to go to.
            guard !completions.stopped else { return }
            completions.answers.append((connection, bytes, closing))
            guard completions.answers.count == 1 else { return }
            var one: UInt64 = 1
            _ = write(wakeDescriptor, &one, 8)
        }
    }

    /// Sends the answers the pool finished, and answers what their connections queued behind them.
    private func deliverCompletions() {
        var count: UInt64 = 0
        _ = read(wakeDescriptor, &count, 8)
        let finished = completions.withLock { completions in
            defer { completions.answers.removeAll(keepingCapacity: true) }
            return completions.answers
        }
        let shutting = isShuttingDown
        for completion in finished where !completion.connection.isClosed {
            completion.connection.finishPoolAnswer(completion.bytes, closing: completion.closing, loop: self,
                                                   shuttingDown: shutting)
            settle(completion.connection)
        }
    }

    private func service(_ connection: LoopConnection, events: UInt32) {
        let shutting = isShuttingDown
        // Hang-ups are reported even when input is not watched: a client gone while its request is on the pool
        // closes now (its answer is dropped) instead of being reported again on every turn of the loop.
        if connection.isWaitingForAnswer, events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            connection.markClosed()
            settle(connection)
            return
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            connection.readable(buffer: readBuffer, loop: self, shuttingDown: shutting)
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
        // A pool answer still under way for it is dropped on arrival.
        connection.markClosed()
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, connection.descriptor, nil)
        connections.withLock { _ = $0.removeValue(forKey: connection.descriptor) }
        close(connection.descriptor)
    }

    /// Closes expired connections, and idle ones during shutdown; true when shutdown has emptied the loop.
    private func sweep(now: Int64) -> Bool {
        let shutting = isShuttingDown
        let open = connections.withLock { Array($0.values) }
        for connection in open {
            if connection.isWaitingForAnswer { continue }
            if connection.hasExpired(nowMilliseconds: now) || (shutting && connection.isIdle) {
                connection.markClosed()
                remove(connection)
            }
        }
        return shutting && connectionCount == 0
    }
}

/// One connection of an `EventLoop`: the parser, pending output and deadline. Touched only on the loop's thread
/// (pool threads only carry the reference back with an answer, hence `@unchecked Sendable`).
final class LoopConnection: @unchecked Sendable {
    let descriptor: Int32
    private var parser: HTTPRequestParser
    private var deadline: ConnectionDeadline
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterFlush = false
    private(set) var isClosed = false
    /// Requests parsed but not answered yet: those behind one that is answered off the loop wait for it.
    private var queued: [HTTPRequestParser.Event] = []
    private var queuedHead = 0
    /// A request of this connection is answered off the loop (on the blocking pool, or once its deferral is done);
    /// nothing more is read or answered until the answer is back.
    private(set) var isWaitingForAnswer = false
    /// The epoll events the loop currently watches for this connection.
    var watchedEvents: UInt32 = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
    /// Reading pauses while this much output waits for a slow reader (backpressure).
    static let maximumPendingOutput = 4 * 1024 * 1024

    init(descriptor: Int32, configuration: HTTPServerConfiguration) {
        self.descriptor = descriptor
        parser = configuration.makeParser()
        deadline = configuration.makeDeadline()
    }

    var isIdle: Bool { !isWaitingForAnswer && !parser.hasPartialRequest && outputOffset == output.count }
    var wantsWritable: Bool { !isClosed && outputOffset < output.count }
    var wantsReadable: Bool { !isWaitingForAnswer && output.count - outputOffset < Self.maximumPendingOutput }
    /// Closed, or done: told to close and everything sent (including an answer still on the pool).
    var isFinished: Bool {
        isClosed || (!isWaitingForAnswer && closeAfterFlush && outputOffset == output.count && !parser.hasPartialRequest)
    }

    func hasExpired(nowMilliseconds: Int64) -> Bool { deadline.hasExpired(nowMilliseconds: nowMilliseconds) }
    func markClosed() { isClosed = true }

    /// Reads what has arrived (stopping while a slow reader leaves output pending), answers it, sends the answers.
    func readable(buffer: UnsafeMutableRawBufferPointer, loop: EventLoop, shuttingDown: Bool) {
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
                if !closeAfterFlush {
                    // Usually nothing waits: take the new events' array as it is rather than copying each event.
                    if queuedHead == queued.count { (queued, queuedHead) = (events, 0) } else { queued.append(contentsOf: events) }
                    answerQueued(loop: loop, shuttingDown: shuttingDown)
                }
            }
            if count < buffer.count { break }
        }
        deadline.received(partial: parser.hasPartialRequest, nowMilliseconds: monotonicMilliseconds())
        if sawEndOfFile { closeAfterFlush = true }
        flush()
    }

    /// Answers queued requests in order on the loop, until one that may block goes to the pool (the rest wait).
    private func answerQueued(loop: EventLoop, shuttingDown: Bool) {
        while !isWaitingForAnswer && !closeAfterFlush && queuedHead < queued.count {
            let event = queued[queuedHead]
            queuedHead += 1
            guard case .request(let parsed) = event else {
                if EventResponder.answer(event, handler: loop.handler, shuttingDown: shuttingDown, to: &output) {
                    closeAfterFlush = true
                }
                continue
            }
            if loop.shouldRunOnPool(parsed.request) {
                isWaitingForAnswer = true
                loop.runOnPool(parsed, for: self, shuttingDown: shuttingDown)
                continue
            }
            let response = loop.handler(parsed.request)
            let closing = !parsed.keepAlive || shuttingDown
            // A deferred answer: on a loop shared with other connections, the loop goes on serving them and the
            // answer comes back through `completions` once the deferral is done (nothing more of this connection is
            // answered meanwhile). Alone on its loop, a connection waits in place (a write then leads its own commit,
            // with no hand-off).
            if let deferral = response.deferral, loop.connectionCount > 1 {
                isWaitingForAnswer = true
                deferral.notify { [self] replacement in
                    var bytes: [UInt8] = []
                    HTTPResponseWriter.append(replacement ?? response, closing: closing, to: &bytes)
                    loop.complete(self, with: bytes, closing: closing)
                }
                continue
            }
            EventResponder.append(response, closing: closing, to: &output)
            if closing { closeAfterFlush = true }
        }
        if queuedHead == queued.count || closeAfterFlush {
            queued.removeAll(keepingCapacity: true)
            queuedHead = 0
        }
    }

    /// Takes the answer the pool produced, answers what was queued behind it, and sends.
    func finishPoolAnswer(_ bytes: [UInt8], closing: Bool, loop: EventLoop, shuttingDown: Bool) {
        isWaitingForAnswer = false
        output.append(contentsOf: bytes)
        if closing { closeAfterFlush = true }
        answerQueued(loop: loop, shuttingDown: shuttingDown)
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
