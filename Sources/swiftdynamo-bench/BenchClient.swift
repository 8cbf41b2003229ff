import Foundation
import SigV4

/// One keep-alive HTTP/1.1 connection that sends SigV4-signed DynamoDB requests and reads the responses.
/// Used by one thread at a time.
final class BenchClient {
    let host: String
    let port: Int
    let signer: SigV4Signer
    private var descriptor: Int32 = -1
    private let hostHeader: String
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    /// The response being read (kept between calls for its capacity).
    private var received: [UInt8] = []

    init(host: String, port: Int, signer: SigV4Signer) {
        self.host = host
        self.port = port
        self.signer = signer
        hostHeader = "\(host):\(port)"
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
    ///
    /// Request and response are handled as bytes (no string splitting or Foundation searching): on a machine the
    /// client shares with the server, every microsecond the client spends is one the server does not get.
    func call(_ operation: String, body: [UInt8]) throws -> (Int, [UInt8]) {
        if descriptor < 0 { try connect() }
        let target = "DynamoDB_20120810.\(operation)"
        let base: [(name: String, value: String)] = [("host", hostHeader), ("content-type", "application/x-amz-json-1.0"),
                                                     ("x-amz-target", target)]
        let signed = signer.sign(method: "POST", path: "/", headers: base, body: body, date: Date().timeIntervalSince1970)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512 + body.count)
        bytes.append(contentsOf: Self.requestStart)
        bytes.append(contentsOf: hostHeader.utf8)
        bytes.append(contentsOf: Self.contentTypeAndTarget)
        bytes.append(contentsOf: target.utf8)
        bytes.append(contentsOf: Self.lineEnd)
        for header in signed {
            bytes.append(contentsOf: header.name.utf8)
            bytes.append(contentsOf: Self.colonSpace)
            bytes.append(contentsOf: header.value.utf8)
            bytes.append(contentsOf: Self.lineEnd)
        }
        bytes.append(contentsOf: Self.contentLength)
        bytes.append(contentsOf: String(body.count).utf8)
        bytes.append(contentsOf: Self.lineEnd)
        bytes.append(contentsOf: Self.lineEnd)
        bytes.append(contentsOf: body)
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress.map { $0 + sent }, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count <= 0 { reset(); throw Failure(description: "send failed") }
            sent += count
        }
        return try readResponse()
    }

    private static let requestStart = Array("POST / HTTP/1.1\r\nHost: ".utf8)
    private static let contentTypeAndTarget = Array("\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: ".utf8)
    private static let contentLength = Array("Content-Length: ".utf8)
    private static let colonSpace = Array(": ".utf8)
    private static let lineEnd = Array("\r\n".utf8)

    private func reset() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    private func readResponse() throws -> (Int, [UInt8]) {
        received.removeAll(keepingCapacity: true)
        var headerEnd: Int?
        var searchedUpTo = 0
        while headerEnd == nil {
            try fill()
            headerEnd = Self.headerEnd(in: received, from: searchedUpTo)
            searchedUpTo = max(0, received.count - 3)
        }
        guard let end = headerEnd else { throw Failure(description: "no header") }
        guard let head = Self.parseHead(received[0..<end]) else {
            reset()
            throw Failure(description: "bad status line")
        }
        let bodyStart = end + 4
        while received.count < bodyStart + head.contentLength { try fill() }
        let body = Array(received[bodyStart..<(bodyStart + head.contentLength)])
        if head.closing { reset() }
        return (head.status, body)
    }

    /// The status, `Content-Length` and whether the server closes, from a response's head.
    static func parseHead(_ head: ArraySlice<UInt8>) -> (status: Int, contentLength: Int, closing: Bool)? {
        var lineStart = head.startIndex
        var status: Int?
        var length = 0
        var closing = false
        while lineStart < head.endIndex {
            let lineEnd = head[lineStart...].firstIndex(of: 0x0A) ?? head.endIndex
            let line = head[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            guard status != nil else {
                guard line.count >= 12, let code = number(line.dropFirst(9).prefix(3)) else { return nil }
                status = code
                continue
            }
            if let value = value(of: contentLengthName, in: line) { length = number(value) ?? 0 }
            if let value = value(of: connectionName, in: line), contains(closeValue, in: value.map(lowercased)) {
                closing = true
            }
        }
        guard let status else { return nil }
        return (status, length, closing)
    }

    private static let contentLengthName = Array("content-length:".utf8)
    private static let connectionName = Array("connection:".utf8)
    private static let closeValue = Array("close".utf8)

    private static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    /// The value after `name` (lowercase, with its colon) when `line` is that header, matched case-insensitively.
    private static func value(of name: [UInt8], in line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard line.count >= name.count, zip(line, name).allSatisfy({ lowercased($0) == $1 }) else { return nil }
        return line.dropFirst(name.count)
    }

    /// A decimal number among spaces and a carriage return; nil without digits.
    private static func number(_ bytes: some Collection<UInt8>) -> Int? {
        var value = 0
        var digits = 0
        for byte in bytes where byte != 0x20 && byte != 0x0D && byte != 0x09 {
            guard byte >= 0x30 && byte <= 0x39, digits < 18 else { return nil }
            value = value * 10 + Int(byte - 0x30)
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        var start = 0
        while start <= haystack.count - needle.count {
            if haystack[start] == first && haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
            start += 1
        }
        return false
    }

    private func fill() throws {
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count <= 0 { reset(); throw Failure(description: "connection closed") }
        received.append(contentsOf: buffer[0..<count])
    }

    /// Where the blank line ending the head starts, searching from `start`.
    private static func headerEnd(in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = start
        while index <= bytes.count - 4 {
            if bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }
}
