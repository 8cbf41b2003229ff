#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands one batch (Lambda's event JSON) to a trigger's target and says whether it succeeded.
enum TriggerDelivery {
    /// Runs the target once; nil on success, else why it failed.
    static func deliver(_ body: [UInt8], to target: TriggerDefinition.Target) -> String? {
        switch target {
        case .command(let command): return runCommand(command, input: body)
        case .url(let url): return post(body, to: url)
        }
    }

    /// `/bin/sh -c command` with the event on stdin; exit status 0 is success. Its output goes to the server's.
    static func runCommand(_ command: String, input: [UInt8]) -> String? {
        // A command that exits without reading its input must not kill the server with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return "pipe failed (errno \(errno))" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        let arguments: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", command].map { (text: String) in strdup(text) }
        defer { arguments.forEach { free($0) } }
        var argv = arguments + [nil]
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, &argv, environ)
        close(pipeEnds[0])
        guard spawned == 0 else {
            close(pipeEnds[1])
            return "could not start /bin/sh (error \(spawned))"
        }
        var offset = 0
        while offset < input.count {
            let written = input[offset...].withUnsafeBytes { write(pipeEnds[1], $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { break }  // the command closed its input: its exit status decides
            offset += written
        }
        close(pipeEnds[1])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status & 0x7F != 0 { return "the command was killed by signal \(status & 0x7F)" }
        let code = (status >> 8) & 0xFF
        return code == 0 ? nil : "the command exited with status \(code)"
    }

    /// An HTTP/1.1 POST of the event (`Content-Type: application/json`); a 2xx status is success.
    static func post(_ body: [UInt8], to url: String) -> String? {
        guard let parsed = ParsedURL(url) else { return "not an http:// URL: \(url)" }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(parsed.host, String(parsed.port), &hints, &found) == 0, let address = found else {
            return "cannot resolve \(parsed.host)"
        }
        defer { freeaddrinfo(found) }
        let socket = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard socket >= 0 else { return "socket failed (errno \(errno))" }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            return "cannot connect to \(parsed.host):\(parsed.port) (errno \(errno))"
        }
        let head = "POST \(parsed.path) HTTP/1.1\r\nHost: \(parsed.host):\(parsed.port)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let request = Array(head.utf8) + body
        var offset = 0
        while offset < request.count {
            let sent = request[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return "sending to \(url) failed (errno \(errno))" }
            offset += sent
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !response.contains(10) {
            let received = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if received < 0 && errno == EINTR { continue }
            guard received > 0 else { break }
            response.append(contentsOf: buffer[0..<received])
        }
        let statusLine = String(decoding: response.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return "no HTTP response from \(url)" }
        return (200..<300).contains(status) ? nil : "\(url) answered \(status)"
    }

    /// `http://host[:port][/path]`.
    struct ParsedURL {
        var host: String
        var port: Int
        var path: String

        init?(_ url: String) {
            guard url.hasPrefix("http://") else { return nil }
            let rest = url.dropFirst("http://".count)
            let authority = rest.prefix { $0 != "/" }
            path = rest.count > authority.count ? String(rest.dropFirst(authority.count)) : "/"
            if let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) {
                host = String(authority[..<colon])
                self.port = port
            } else {
                host = String(authority)
                port = 80
            }
            if host.isEmpty { return nil }
        }
    }
}
