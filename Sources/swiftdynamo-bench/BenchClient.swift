import Foundation
import SigV4

/// One keep-alive HTTP/1.1 connection that sends SigV4-signed DynamoDB requests and reads the responses.
/// Used by one thread at a time.
final class BenchClient {
    let host: String
    let port: Int
    let signer: SigV4Signer
    private var descriptor: Int32 = -1
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    init(host: String, port: Int, signer: SigV4Signer) {
        self.host = host
        self.port = port
        self.signer = signer
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private func connect() throws {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw Failure(description: "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socketDescriptor)
            throw Failure(description: "connect to \(host):\(port) failed")
        }
        var one: Int32 = 1
        setsockopt(socketDescriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        descriptor = socketDescriptor
    }

    /// Sends one operation and returns (status, body).
    func call(_ operation: String, body: [UInt8]) throws -> (Int, [UInt8]) {
        if descriptor < 0 { try connect() }
        let target = "DynamoDB_20120810.\(operation)"
        let hostHeader = "\(host):\(port)"
        let base: [(name: String, value: String)] = [("host", hostHeader), ("content-type", "application/x-amz-json-1.0"),
                                                     ("x-amz-target", target)]
        let signed = signer.sign(method: "POST", path: "/", headers: base, body: body, date: Date().timeIntervalSince1970)
        var request = "POST / HTTP/1.1\r\nHost: \(hostHeader)\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: \(target)\r\n"
        for header in signed { request += "\(header.name): \(header.value)\r\n" }
        request += "Content-Length: \(body.count)\r\n\r\n"
        var bytes = Array(request.utf8)
        bytes.append(contentsOf: body)
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { reset(); throw Failure(description: "send failed") }
            sent += count
        }
        return try readResponse()
    }

    private func reset() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    private func readResponse() throws -> (Int, [UInt8]) {
        var received: [UInt8] = []
        var headerEnd: Int?
        while headerEnd == nil {
            try fill(&received)
            headerEnd = find(received)
        }
        guard let end = headerEnd else { throw Failure(description: "no header") }
        let head = String(decoding: received[0..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.count >= 12, let status = Int(statusLine.dropFirst(9).prefix(3)) else {
            reset()
            throw Failure(description: "bad status line")
        }
        var length = 0
        var closing = false
        for line in lines.dropFirst() {
            let lower = line.lowercased()
            if lower.hasPrefix("content-length:") { length = Int(lower.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0 }
            if lower.hasPrefix("connection:") && lower.contains("close") { closing = true }
        }
        let bodyStart = end + 4
        while received.count < bodyStart + length { try fill(&received) }
        let body = Array(received[bodyStart..<(bodyStart + length)])
        if closing { reset() }
        return (status, body)
    }

    private func fill(_ received: inout [UInt8]) throws {
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count <= 0 { reset(); throw Failure(description: "connection closed") }
        received.append(contentsOf: buffer[0..<count])
    }

    private func find(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
