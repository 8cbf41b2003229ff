/// One parsed HTTP/1.1 request with its complete body (chunked bodies already de-chunked).
package struct HTTPRequest: Sendable {
    package var method: String
    /// The request target as sent: path plus optional `?query`.
    package var target: String
    /// Header fields in arrival order, names as sent, kept as bytes.
    package var headerFields: HTTPHeaderFields
    package var body: [UInt8]

    package init(method: String, target: String, headerFields: HTTPHeaderFields, body: [UInt8]) {
        self.method = method
        self.target = target
        self.headerFields = headerFields
        self.body = body
    }

    /// Header fields in arrival order as text, names as sent.
    package var headers: [(name: String, value: String)] { headerFields.pairs }

    /// The first header with this name, compared case-insensitively (ASCII).
    package func header(_ name: String) -> String? {
        headerFields.value(named: name)
    }

    /// The path part of `target` (before `?`).
    package var path: Substring {
        if let q = target.firstIndex(of: "?") { return target[..<q] }
        return target[...]
    }

    /// The query part of `target` (after `?`), empty when absent.
    package var query: Substring {
        if let q = target.firstIndex(of: "?") { return target[target.index(after: q)...] }
        return ""
    }
}

/// An HTTP response the server writes; `Content-Length` is added by the writer.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// When set, the response may leave only once this is done (a write waiting for its group commit).
    package var deferral: HTTPDeferral?

    package init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Something a response must wait for before it leaves (a write's group commit), in two forms: blocking, for
/// connection models that have a thread to spare, and by callback, for the epoll loops.
package struct HTTPDeferral: Sendable {
    /// Blocks until done; returns an answer to send instead when the original must not be sent.
    package let wait: @Sendable () -> HTTPResponse?
    /// Calls `done` once done, on any thread, with an answer to send instead when the original must not be sent.
    package let notify: @Sendable (_ done: @escaping @Sendable (HTTPResponse?) -> Void) -> Void

    package init(wait: @escaping @Sendable () -> HTTPResponse?,
                 notify: @escaping @Sendable (_ done: @escaping @Sendable (HTTPResponse?) -> Void) -> Void) {
        self.wait = wait
        self.notify = notify
    }
}

/// ASCII-only text helpers for protocol tokens (header names, media types), without allocating.
package enum ASCII {
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    /// Whether two byte strings are equal ignoring ASCII case.
    package static func equalIgnoringCase(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        for index in 0..<left.count where lower(left[index]) != lower(right[index]) { return false }
        return true
    }

    /// Whether `bytes` equal `lowercase` (lowercase ASCII) ignoring case.
    package static func equalsLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for index in 0..<bytes.count where lower(bytes[index]) != expected[index] { return false }
        return true
    }

    /// `bytes` without the spaces and tabs at either end.
    package static func trimmingWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Whether `text`, up to the first `;` and without surrounding spaces or tabs, equals `lowercase` ignoring case:
    /// how a Content-Type's media type is compared.
    package static func mediaTypeMatches(_ text: String, _ lowercase: String) -> Bool {
        var text = text
        var lowercase = lowercase
        return text.withUTF8 { bytes in
            var start = 0
            var end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
            while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
            while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
            return lowercase.withUTF8 { expected in
                guard end - start == expected.count else { return false }
                for index in 0..<expected.count where lower(bytes[start + index]) != expected[index] { return false }
                return true
            }
        }
    }
}
