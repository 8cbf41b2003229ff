import Dispatch
import Glibc
import Locking
import Testing
@testable import HTTP

/// The epoll model with handlers that may block (writes waiting for their group commit): such requests run on the
/// blocking pool, so they wait side by side, and a connection's answers still leave in request order. A loop that
/// serves a single connection answers them itself. Tests that need the pool open idle connections first, so that
/// every loop serves more than one.
@Suite("Epoll loops with a blocking pool")
struct BlockingPoolTests {
    /// Requests to /block* may block; /wait-for-N waits until N such requests are waiting at once (or gives up).
    static func startServer(expectedTogether: Int, arrived: Lock<Int>) throws -> HTTPServer {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.connectionModel = .eventLoops
        configuration.shutdownGraceMilliseconds = 1_000
        configuration.blockingThreadCount = 16
        configuration.mayBlock = { $0.target.hasPrefix("/block") || $0.target.hasPrefix("/thread/block") }
        let server = HTTPServer(configuration: configuration) { request in
            if request.target == "/block/together" {
                arrived.withLock { $0 += 1 }
                // Gives up after five seconds: the failure case, when requests could not wait at the same time.
                for _ in 0..<500 {
                    if arrived.withLock({ $0 }) >= expectedTogether {
                        return HTTPResponse(status: 200, body: Array("released".utf8))
                    }
                    usleep(10_000)
                }
                return HTTPResponse(status: 200, body: Array("gave up".utf8))
            }
            if request.target.hasPrefix("/thread") {
                return HTTPResponse(status: 200, body: Array("thread \(pthread_self()) end".utf8))
            }
            if request.target.hasPrefix("/block") { usleep(20_000) }
            return HTTPResponse(status: 200, body: Array("echo \(request.target)".utf8))
        }
        try server.start()
        return server
    }

    @Test("Blocking requests from more connections than there are loops wait at the same time")
    func blockingRequestsWaitTogether() throws {
        let together = 6
        let arrived = Lock(0)
        let server = try Self.startServer(expectedTogether: together, arrived: arrived)
        defer { server.shutdown() }
        let answers = Lock<[String]>([])
        let done = DispatchSemaphore(value: 0)
        // Every client is connected before any asks, so no loop serves a single connection.
        let descriptors = (0..<together).map { _ in ConnectionModelTests.connect(server.boundPort) }
        Self.waitUntilOpen(together, on: server)
        // One thread per client (concurrentPerform would run only as many at once as there are cores).
        for descriptor in descriptors {
            #expect(startDetachedThread { Self.askTogether(descriptor, into: answers); done.signal() })
        }
        for _ in 0..<together { done.wait() }
        let all = answers.withLock { $0 }
        #expect(all.count == together)
        #expect(all.allSatisfy { $0.contains("released") })
    }

    /// Opens one idle connection per loop (closed by the caller), so that every later connection shares its loop.
    static func occupyLoops(of server: HTTPServer) -> [Int32] {
        let idle = (0..<server.loopCount).map { _ in ConnectionModelTests.connect(server.boundPort) }
        waitUntilOpen(idle.count, on: server)
        return idle
    }

    /// Waits (up to five seconds) until the server has accepted `count` connections.
    static func waitUntilOpen(_ count: Int, on server: HTTPServer) {
        for _ in 0..<500 where server.openConnectionCount < count { usleep(10_000) }
    }

    /// Sends `target` and reads until `marker` arrives (or the connection ends).
    static func ask(_ descriptor: Int32, _ target: String, until marker: String) -> String {
        ConnectionModelTests.send(descriptor, "GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
        return String(decoding: readUntil(marker, from: descriptor), as: UTF8.self)
    }

    /// Reads until `marker` has arrived (or the connection ends, or a hundred reads found nothing).
    static func readUntil(_ marker: String, from descriptor: Int32) -> [UInt8] {
        var received: [UInt8] = []
        for _ in 0..<100 where ConnectionModelTests.position(of: marker, in: received) == nil {
            let chunk = ConnectionModelTests.receive(descriptor, atLeast: 1)
            if chunk.isEmpty { break }
            received += chunk
        }
        return received
    }

    /// One idle connection per loop of `server`, and a client connection that shares a loop with one of them (so
    /// its loop serves others too). Close both after.
    static func connectionSharingALoop(of server: HTTPServer) -> (idle: [Int32], descriptor: Int32) {
        let idle = occupyLoops(of: server)
        let descriptor = ConnectionModelTests.connect(server.boundPort)
        waitUntilOpen(idle.count + 1, on: server)
        return (idle, descriptor)
    }

    /// The thread that answered, from a `/thread...` answer.
    static func answeringThread(_ answer: String) -> Substring? {
        let parts = answer.split { $0 == " " || $0.isNewline }
        guard let marker = parts.lastIndex(of: "thread"), marker + 1 < parts.count else { return nil }
        return parts[marker + 1]
    }

    static func askTogether(_ descriptor: Int32, into answers: Lock<[String]>) {
        defer { close(descriptor) }
        ConnectionModelTests.send(descriptor, "GET /block/together HTTP/1.1\r\nHost: x\r\n\r\n")
        var received: [UInt8] = []
        for _ in 0..<100 where ConnectionModelTests.position(of: "released", in: received) == nil
            && ConnectionModelTests.position(of: "gave up", in: received) == nil {
            let chunk = ConnectionModelTests.receive(descriptor, atLeast: 1)
            if chunk.isEmpty { break }
            received += chunk
        }
        answers.withLock { $0.append(String(decoding: received, as: UTF8.self)) }
    }

    @Test("Pipelined requests that block and requests that do not are answered in request order")
    func pipelinedOrder() throws {
        let server = try Self.startServer(expectedTogether: 1, arrived: Lock(0))
        defer { server.shutdown() }
        let (idle, descriptor) = Self.connectionSharingALoop(of: server)
        defer { idle.forEach { close($0) } }
        defer { close(descriptor) }
        let targets = ["/block-1", "/2", "/block-3", "/4", "/5"]
        ConnectionModelTests.send(descriptor, targets.map { "GET \($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        let received = Self.readUntil("echo /5", from: descriptor)
        let order = targets.map { ConnectionModelTests.position(of: "echo \($0)", in: received) }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
    }

    @Test("A client that leaves while its request is on the pool does not disturb the loop")
    func clientLeavesWhileWaiting() throws {
        let server = try Self.startServer(expectedTogether: 1, arrived: Lock(0))
        defer { server.shutdown() }
        let idle = Self.occupyLoops(of: server)
        defer { idle.forEach { close($0) } }
        for _ in 0..<4 {
            let leaving = ConnectionModelTests.connect(server.boundPort)
            ConnectionModelTests.send(leaving, "GET /block-gone HTTP/1.1\r\nHost: x\r\n\r\n")
            close(leaving)
        }
        let descriptor = ConnectionModelTests.connect(server.boundPort)
        defer { close(descriptor) }
        ConnectionModelTests.send(descriptor, "GET /after HTTP/1.1\r\nHost: x\r\n\r\nGET /block-after HTTP/1.1\r\nHost: x\r\n\r\n")
        let received = Self.readUntil("echo /block-after", from: descriptor)
        #expect(ConnectionModelTests.position(of: "echo /after", in: received) != nil)
        #expect(ConnectionModelTests.position(of: "echo /block-after", in: received) != nil)
    }

    @Test("A loop serving a single connection answers its blocking requests on its own thread")
    func loneConnectionBlocksOnItsLoop() throws {
        let server = try Self.startServer(expectedTogether: 1, arrived: Lock(0))
        defer { server.shutdown() }
        let descriptor = ConnectionModelTests.connect(server.boundPort)
        defer { close(descriptor) }
        let loopThread = Self.answeringThread(Self.ask(descriptor, "/thread/quick", until: " end"))
        let blockingThread = Self.answeringThread(Self.ask(descriptor, "/thread/block", until: " end"))
        #expect(loopThread != nil)
        #expect(blockingThread == loopThread)
    }

    @Test("A loop serving several connections answers blocking requests on the pool")
    func sharedLoopSendsBlockingRequestsToThePool() throws {
        let server = try Self.startServer(expectedTogether: 1, arrived: Lock(0))
        defer { server.shutdown() }
        let (idle, descriptor) = Self.connectionSharingALoop(of: server)
        defer { idle.forEach { close($0) } }
        defer { close(descriptor) }
        let loopThread = Self.answeringThread(Self.ask(descriptor, "/thread/quick", until: " end"))
        let blockingThread = Self.answeringThread(Self.ask(descriptor, "/thread/block", until: " end"))
        #expect(loopThread != nil && blockingThread != nil)
        #expect(blockingThread != loopThread)
    }
}
