import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Accepts HTTP/1.1 connections on a non-blocking POSIX socket and answers each request with `handler`.
///
/// Threading: one serial Dispatch accept queue. By default each connection then gets its own thread with blocking
/// I/O (`ThreadedConnection`); with `connectionModel = .dispatchQueues`, connections are dealt round-robin to
/// `workerCount` serial worker queues fed by Dispatch read sources (`Connection`).
/// Thread safety: `state` is behind a Mutex; each worker owns its connections (see `Worker`); threaded connections
/// own themselves and are counted in `registry`.
package final class HTTPServer: Sendable {
    /// Called for every complete request, on a worker queue; must be thread-safe.
    package typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    package let configuration: HTTPServerConfiguration
    private let handler: Handler
    private let workers: [Worker]
    private let loops: [EventLoop]
    /// Where the epoll loops run requests that may block; nil for the other models or when nothing blocks.
    private let blockingPool: BlockingPool?
    private let acceptQueue = DispatchQueue(label: "swiftdynamo.http.accept")
    private let state = Mutex(ListenerState())
    private let registry = ConnectionRegistry()

    private struct ListenerState: @unchecked Sendable {
        // The source is only touched under the mutex.
        var listenDescriptor: Int32 = -1
        var acceptSource: (any DispatchSourceRead)?
        var boundPort = 0
        var nextWorker = 0
    }

    package init(configuration: HTTPServerConfiguration, handler: @escaping Handler) {
        self.configuration = configuration
        self.handler = handler
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        workers = (0..<max(2, cores, configuration.workerCount)).map { Worker(index: $0) }
        let usesLoops = configuration.connectionModel == .eventLoops
        let pool = usesLoops && configuration.mayBlock != nil ? BlockingPool(threads: configuration.blockingThreadCount) : nil
        blockingPool = pool
        loops = usesLoops
            ? (0..<max(1, cores)).compactMap { _ in EventLoop(configuration: configuration, handler: handler, pool: pool) }
            : []
    }

    /// Binds and listens; returns once the socket accepts connections.
    package func start() throws(HTTPServerError) {
        let descriptor = try Self.listen(host: configuration.host, port: configuration.port)
        let port = Self.localPort(of: descriptor)
        for worker in workers { worker.queue.sync { worker.start() } }
        for loop in loops where !loop.start() {
            close(descriptor)
            throw HTTPServerError(call: "pthread_create", errno: errno)
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: acceptQueue)
        source.setEventHandler { [self] in acceptPending(on: descriptor) }
        source.setCancelHandler { _ = close(descriptor) }
        state.withLock { state in
            state.listenDescriptor = descriptor
            state.acceptSource = source
            state.boundPort = port
        }
        source.resume()
    }

    /// The port actually bound (useful with port 0).
    package var boundPort: Int { state.withLock { $0.boundPort } }

    /// Connections open now, in whichever model serves them.
    var openConnectionCount: Int {
        workers.reduce(registry.count + loops.reduce(0) { $0 + $1.connectionCount }) { total, worker in
            total + worker.queue.sync { worker.connectionCount }
        }
    }

    /// How many epoll loops serve connections (0 in the other models).
    var loopCount: Int { loops.count }

    /// Stops accepting, lets in-flight requests finish (up to the grace period), closes all connections; returns
    /// when done.
    package func shutdown() {
        let source = state.withLock { state -> (any DispatchSourceRead)? in
            defer { state.acceptSource = nil }
            return state.acceptSource
        }
        guard let source else { return }
        acceptQueue.sync { source.cancel() }
        registry.beginShutdown()
        for loop in loops { loop.beginShutdown() }
        for worker in workers { worker.queue.sync { worker.beginShutdown() } }
        let deadline = monotonicMilliseconds() + Int64(configuration.shutdownGraceMilliseconds)
        while monotonicMilliseconds() < deadline && openConnectionCount > 0 {
            usleep(10_000)
        }
        registry.forceClose()
        for loop in loops { loop.forceClose() }
        for worker in workers { worker.queue.sync { worker.forceClose() } }
        blockingPool?.stop()
    }

    private func acceptPending(on listenDescriptor: Int32) {
        while true {
            let result: IOResult<Int32>
            do throws(HTTPServerError) {
                result = try syscall("accept") { accept(listenDescriptor, nil, nil) }
            } catch {
                // EMFILE, ECONNABORTED and the like: drop this attempt; the source fires again when ready.
                return
            }
            guard case .done(let descriptor) = result else { return }
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if configuration.connectionModel == .threadPerConnection {
                startThread(for: descriptor)
                continue
            }
            do throws(HTTPServerError) {
                try setNonBlocking(descriptor)
            } catch {
                close(descriptor)
                continue
            }
            if !loops.isEmpty {
                let open = loops.reduce(0) { $0 + $1.connectionCount }
                guard open < configuration.maximumConnections else {
                    close(descriptor)
                    continue
                }
                let index = state.withLock { state -> Int in
                    defer { state.nextWorker = (state.nextWorker + 1) % loops.count }
                    return state.nextWorker % loops.count
                }
                loops[index].add(descriptor)
                continue
            }
            let index = state.withLock { state -> Int in
                defer { state.nextWorker = (state.nextWorker + 1) % workers.count }
                return state.nextWorker
            }
            let worker = workers[index]
            let connection = Connection(descriptor: descriptor, worker: worker, configuration: configuration,
                                        handler: handler)
            worker.queue.async { worker.add(connection) }
        }
    }

    /// Hands an accepted (blocking) socket to a thread of its own; closes it when over the connection limit.
    private func startThread(for descriptor: Int32) {
        guard registry.count < configuration.maximumConnections else {
            close(descriptor)
            return
        }
        // A client that stops reading cannot hold a thread forever: sends give up after the request timeout.
        let timeout = configuration.requestTimeoutMilliseconds
        var sendTimeout = timeval(tv_sec: timeout / 1000, tv_usec: (timeout % 1000) * 1000)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        let slice = ThreadedConnection.pollSliceMilliseconds
        var receiveTimeout = timeval(tv_sec: slice / 1000, tv_usec: (slice % 1000) * 1000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &receiveTimeout, socklen_t(MemoryLayout<timeval>.size))
        registry.add(descriptor)
        let connection = ThreadedConnection(descriptor: descriptor, configuration: configuration, handler: handler,
                                            registry: registry)
        if !connection.start() {
            registry.remove(descriptor)
            close(descriptor)
        }
    }

    /// Creates a non-blocking listening socket (IPv6 when the host contains ':').
    private static func listen(host: String, port: Int) throws(HTTPServerError) -> Int32 {
        let isIPv6 = host.contains(":")
        let family = isIPv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw HTTPServerError(call: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var bindResult: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
                close(descriptor)
                throw HTTPServerError(call: "inet_pton(\(host))", errno: EINVAL)
            }
            bindResult = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let resolved = host == "localhost" ? "127.0.0.1" : host
            guard inet_pton(AF_INET, resolved, &address.sin_addr) == 1 else {
                close(descriptor)
                throw HTTPServerError(call: "inet_pton(\(host))", errno: EINVAL)
            }
            bindResult = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard bindResult == 0 else {
            let code = errno
            close(descriptor)
            throw HTTPServerError(call: "bind", errno: code)
        }
        guard Glibc.listen(descriptor, 1024) == 0 else {
            let code = errno
            close(descriptor)
            throw HTTPServerError(call: "listen", errno: code)
        }
        do throws(HTTPServerError) {
            try setNonBlocking(descriptor)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    private static func localPort(of descriptor: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { return 0 }
        if Int32(storage.ss_family) == AF_INET6 {
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }
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
