import Dispatch
import Glibc
import Locking
import Testing
@testable import HTTP

/// Answers that must wait for something outside the handler (a write's group commit): an epoll loop serving other
/// connections too is called back and goes on serving them; a lone connection, or a thread per connection, waits.
@Suite("Deferred answers")
struct DeferredAnswerTests {
    /// How the deferrals of one server were finished.
    final class Counts: Sendable {
        let waits = Lock(0)
        let notifies = Lock(0)
    }

    /// `/defer/ok` is deferred for 20 ms; `/defer/replace` is deferred and then replaced by a 500; others answer at once.
    static func startServer(model: ConnectionModel, counts: Counts) throws -> HTTPServer {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.connectionModel = model
        configuration.shutdownGraceMilliseconds = 1_000
        let server = HTTPServer(configuration: configuration) { request in
            var response = HTTPResponse(status: 200, body: Array("echo \(request.target)".utf8))
            guard request.target.hasPrefix("/defer") else { return response }
            let replacement = request.target == "/defer/replace"
                ? HTTPResponse(status: 500, body: Array("replaced".utf8)) : nil
            response.deferral = HTTPDeferral(
                wait: {
                    counts.waits.withLock { $0 += 1 }
                    usleep(20_000)
                    return replacement
                },
                notify: { done in
                    counts.notifies.withLock { $0 += 1 }
                    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(20)) { done(replacement) }
                })
            return response
        }
        try server.start()
        return server
    }

    /// An epoll server, and a client connection whose loop serves other connections too.
    static func connectionOnASharedLoop(counts: Counts) throws -> (server: HTTPServer, idle: [Int32], descriptor: Int32) {
        let server = try startServer(model: .eventLoops, counts: counts)
        let (idle, descriptor) = BlockingPoolTests.connectionSharingALoop(of: server)
        return (server, idle, descriptor)
    }

    static func pipelined(_ targets: [String]) -> String {
        targets.map { "GET \($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
    }

    @Test("On a loop shared with other connections the loop is called back, and answers keep request order")
    func sharedLoopIsCalledBack() throws {
        let counts = Counts()
        let (server, idle, descriptor) = try Self.connectionOnASharedLoop(counts: counts)
        defer { server.shutdown() }
        defer { idle.forEach { close($0) } }
        defer { close(descriptor) }
        ConnectionModelTests.send(descriptor, Self.pipelined(["/defer/ok", "/next", "/defer/ok-2", "/last"]))
        let received = BlockingPoolTests.readUntil("echo /last", from: descriptor)
        let order = ["echo /defer/ok", "echo /next", "echo /defer/ok-2", "echo /last"].map {
            ConnectionModelTests.position(of: $0, in: received)
        }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(counts.notifies.withLock { $0 } == 2)
        #expect(counts.waits.withLock { $0 } == 0)
    }

    @Test("A deferral may replace the answer")
    func replacementIsSent() throws {
        let counts = Counts()
        let (server, idle, descriptor) = try Self.connectionOnASharedLoop(counts: counts)
        defer { server.shutdown() }
        defer { idle.forEach { close($0) } }
        defer { close(descriptor) }
        let answer = BlockingPoolTests.ask(descriptor, "/defer/replace", until: "replaced")
        #expect(answer.hasPrefix("HTTP/1.1 500"))
        #expect(!answer.contains("echo"))
    }

    @Test("A lone connection, or a thread per connection, waits for the deferral in place",
          arguments: [ConnectionModel.eventLoops, .threadPerConnection])
    func waitsInPlace(model: ConnectionModel) throws {
        let counts = Counts()
        let server = try Self.startServer(model: model, counts: counts)
        defer { server.shutdown() }
        let descriptor = ConnectionModelTests.connect(server.boundPort)
        defer { close(descriptor) }
        ConnectionModelTests.send(descriptor, Self.pipelined(["/defer/ok", "/defer/replace", "/last"]))
        let received = BlockingPoolTests.readUntil("echo /last", from: descriptor)
        #expect(ConnectionModelTests.position(of: "echo /defer/ok", in: received) != nil)
        #expect(ConnectionModelTests.position(of: "replaced", in: received) != nil)
        #expect(counts.waits.withLock { $0 } == 2)
        #expect(counts.notifies.withLock { $0 } == 0)
    }
}
