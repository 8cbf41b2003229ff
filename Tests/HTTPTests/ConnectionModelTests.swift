import Glibc
import Testing
@testable import HTTP

/// Every connection model behind the same socket-level checks: pipelined keep-alive requests answered in order, and a
/// response far larger than the socket buffer delivered whole to a reader that starts late (backpressure).
@Suite("Connection models")
struct ConnectionModelTests {
    static func startServer(_ model: ConnectionModel) throws -> HTTPServer {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.connectionModel = model
        configuration.shutdownGraceMilliseconds = 1_000
        let server = HTTPServer(configuration: configuration) { request in
            if request.target == "/big" { return HTTPResponse(status: 200, body: Array(repeating: 0x61, count: 8 << 20)) }
            return HTTPResponse(status: 200, body: Array("echo \(request.target)".utf8))
        }
        try server.start()
        return server
    }

    static func connect(_ port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(result == 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    /// Reads until `count` bytes arrived (or the peer closed or timed out).
    static func receive(_ descriptor: Int32, atLeast count: Int) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while received.count < count {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            received += chunk[0..<got]
        }
        return received
    }

    /// Where `text` first appears in `bytes`.
    static func position(of text: String, in bytes: [UInt8]) -> Int? {
        let needle = Array(text.utf8)
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    static func send(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    @Test("Pipelined keep-alive requests are answered in order", arguments: ConnectionModel.allCases)
    func pipelinedRequests(model: ConnectionModel) throws {
        let server = try Self.startServer(model)
        defer { server.shutdown() }
        let descriptor = Self.connect(server.boundPort)
        defer { close(descriptor) }
        Self.send(descriptor, (1...3).map { "GET /\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        var received: [UInt8] = []
        for _ in 0..<50 where Self.position(of: "echo /3", in: received) == nil {
            received += Self.receive(descriptor, atLeast: 1)
        }
        let order = ["echo /1", "echo /2", "echo /3"].map { Self.position(of: $0, in: received) }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
    }

    @Test("A large response reaches a reader that starts late", arguments: ConnectionModel.allCases)
    func largeResponseWithBackpressure(model: ConnectionModel) throws {
        let server = try Self.startServer(model)
        defer { server.shutdown() }
        let descriptor = Self.connect(server.boundPort)
        defer { close(descriptor) }
        Self.send(descriptor, "GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(200_000)
        let expected = (8 << 20) + "echo /after".utf8.count
        let received = Self.receive(descriptor, atLeast: expected)
        #expect(received.count >= expected)
        #expect(String(decoding: received.suffix(11), as: UTF8.self) == "echo /after")
    }
}
