#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 GET over a plain TCP socket, enough to read the usage document from a local server.
enum UsageClient {
    struct Failure: Error {
        var message: String
    }

    /// The body of `GET path` at `endpoint` (`http://host:port`); throws unless the status is 200.
    static func get(endpoint: String, path: String) throws -> [UInt8] {
        guard endpoint.hasPrefix("http://") else { throw Failure(message: "--endpoint must be an http:// URL") }
        var authority = String(endpoint.dropFirst("http://".count))
        if let slash = authority.firstIndex(of: "/") { authority = String(authority[..<slash]) }
        let parts = authority.split(separator: ":", maxSplits: 1)
        let host = parts.first.map(String.init) ?? "127.0.0.1"
        let port = parts.count == 2 ? String(parts[1]) : "80"

        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, port, &hints, &found) == 0, let address = found else {
            throw Failure(message: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(found) }
        let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard descriptor >= 0 else { throw Failure(message: "cannot open a socket") }
        defer { close(descriptor) }
        guard connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            throw Failure(message: "cannot connect to \(endpoint): is the server running?")
        }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(authority)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { throw Failure(message: "cannot send the request") }
            sent += written
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = (0..<max(0, response.count - 3)).first(where: { Array(response[$0..<$0 + 4]) == separator }) else {
            throw Failure(message: "the server's answer is not HTTP")
        }
        let head = String(decoding: response[..<split], as: UTF8.self)
        guard head.hasPrefix("HTTP/1.1 200") else {
            throw Failure(message: "the server answered \(head.split(separator: "\r\n").first ?? "")")
        }
        return Array(response[(split + 4)...])
    }
}
