#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental HTTP/1.1 request parser: fed byte chunks, it yields complete requests (pipelined requests one
/// after another) or an error status. Pure: no I/O, so it is tested by feeding bytes split at every offset.
///
/// request := request-line CRLF *(header-field CRLF) CRLF [ body ]
/// body    := Content-Length octets | chunked (chunk-size [ext] CRLF data CRLF)* 0 CRLF *(trailer CRLF) CRLF
package struct HTTPRequestParser {
    /// What the parser has to say after being fed.
    package enum Event: Equatable {
        /// A complete request.
        case request(ParsedRequest)
        /// The client sent `Expect: 100-continue` and waits for `100 Continue` before sending its body.
        case continueExpected
        /// The input is unacceptable: answer with this status and close the connection.
        case failure(status: Int, reason: String)
    }

    /// A request plus what keep-alive needs to know.
    package struct ParsedRequest: Equatable {
        package var request: HTTPRequest
        /// Whether the connection stays open after the response (HTTP/1.1 default; `Connection: close`; HTTP/1.0).
        package var keepAlive: Bool

        package static func == (lhs: ParsedRequest, rhs: ParsedRequest) -> Bool {
            lhs.keepAlive == rhs.keepAlive && lhs.request.method == rhs.request.method
                && lhs.request.target == rhs.request.target && lhs.request.body == rhs.request.body
                && lhs.request.headers.map(\.name) == rhs.request.headers.map(\.name)
                && lhs.request.headers.map(\.value) == rhs.request.headers.map(\.value)
        }
    }

    private enum State {
        case head
        case fixedBody(head: Head, remaining: Int)
        case chunkSize(head: Head)
        case chunkData(head: Head, remaining: Int)
        case chunkDataEnd(head: Head)
        case trailers(head: Head)
        case failed
    }

    private struct Head {
        var method: String
        var target: String
        var headerFields: HTTPHeaderFields
        var keepAlive: Bool
        var body: [UInt8] = []
    }

    private let maximumHeaderBytes: Int
    private let maximumBodyBytes: Int
    private var buffer: [UInt8] = []
    /// Bytes of `buffer` already consumed.
    private var offset = 0
    /// Where the search for the end of the header block resumes (so slow clients cost linear time).
    private var headScanFrom = 0
    private var state: State = .head

    package init(maximumHeaderBytes: Int, maximumBodyBytes: Int) {
        self.maximumHeaderBytes = maximumHeaderBytes
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// Whether part of a request has arrived (for the slow-client timeout).
    package var hasPartialRequest: Bool {
        if case .head = state { return offset < buffer.count }
        if case .failed = state { return false }
        return true
    }

    /// Feeds bytes and returns everything that became complete, in order. After a `.failure`, nothing more.
    package mutating func feed(_ bytes: some Collection<UInt8>) -> [Event] {
        if case .failed = state { return [] }
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while let event = step() {
            events.append(event)
            if case .failure = event {
                state = .failed
                break
            }
        }
        compact()
        return events
    }

    private mutating func compact() {
        if offset > 0 && (offset == buffer.count || offset > 65_536) {
            buffer.removeSubrange(0..<offset)
            headScanFrom = max(0, headScanFrom - offset)
            offset = 0
        }
    }

    /// Advances as far as the buffered bytes allow; nil when more input is needed.
    private mutating func step() -> Event? {
        switch state {
        case .failed:
            return nil
        case .head:
            return parseHead()
        case .fixedBody(var head, let remaining):
            let available = min(remaining, buffer.count - offset)
            head.body.append(contentsOf: buffer[offset..<(offset + available)])
            offset += available
            if available == remaining { return finish(head) }
            state = .fixedBody(head: head, remaining: remaining - available)
            return nil
        case .chunkSize(let head):
            guard let line = readLine(limit: 4096) else {
                return buffer.count - offset > 4096 ? .failure(status: 400, reason: "Bad Request") : nil
            }
            guard let size = Self.parseChunkSize(line) else { return .failure(status: 400, reason: "Bad Request") }
            if head.body.count + size > maximumBodyBytes {
                return .failure(status: 413, reason: "Payload Too Large")
            }
            state = size == 0 ? .trailers(head: head) : .chunkData(head: head, remaining: size)
            return step()
        case .chunkData(var head, let remaining):
            let available = min(remaining, buffer.count - offset)
            head.body.append(contentsOf: buffer[offset..<(offset + available)])
            offset += available
            state = available == remaining ? .chunkDataEnd(head: head) : .chunkData(head: head, remaining: remaining - available)
            return available == remaining ? step() : nil
        case .chunkDataEnd(let head):
            guard buffer.count - offset >= 2 else { return nil }
            guard buffer[offset] == 0x0D && buffer[offset + 1] == 0x0A else {
                return .failure(status: 400, reason: "Bad Request")
            }
            offset += 2
            state = .chunkSize(head: head)
            return step()
        case .trailers(let head):
            // Trailer fields are read and dropped; an empty line ends the message.
            while true {
                guard let line = readLine(limit: maximumHeaderBytes) else {
                    return buffer.count - offset > maximumHeaderBytes
                        ? .failure(status: 400, reason: "Bad Request") : nil
                }
                if line.isEmpty { return finish(head) }
            }
        }
    }

    private mutating func finish(_ head: Head) -> Event {
        state = .head
        headScanFrom = offset
        return .request(ParsedRequest(
            request: HTTPRequest(method: head.method, target: head.target, headerFields: head.headerFields, body: head.body),
            keepAlive: head.keepAlive))
    }

    /// Reads one CRLF-terminated line from the buffer (without the CRLF); nil when incomplete.
    private mutating func readLine(limit: Int) -> ArraySlice<UInt8>? {
        var index = offset
        let end = min(buffer.count, offset + limit + 2)
        while index + 1 < end {
            if buffer[index] == 0x0D && buffer[index + 1] == 0x0A {
                let line = buffer[offset..<index]
                offset = index + 2
                return line
            }
            index += 1
        }
        return nil
    }

    private static func parseChunkSize(_ line: ArraySlice<UInt8>) -> Int? {
        var size = 0
        var digits = 0
        for byte in line {
            let value: Int
            switch byte {
            case 0x30...0x39: value = Int(byte - 0x30)
            case 0x41...0x46: value = Int(byte - 0x41 + 10)
            case 0x61...0x66: value = Int(byte - 0x61 + 10)
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                return digits > 0 ? size : nil  // chunk extensions are ignored
            default: return nil
            }
            digits += 1
            if digits > 15 { return nil }
            size = size * 16 + value
        }
        return digits > 0 ? size : nil
    }

    /// Parses the request line and header block once the blank line has arrived. A request line and header block
    /// over `maximumHeaderBytes` (DynamoDB's limit is 16 KB for them together) is answered 400 Bad Request, as
    /// DynamoDB answers it, not 431.
    private mutating func parseHead() -> Event? {
        // Skip empty lines between pipelined requests (RFC 9112 §2.2 allows ignoring at least one).
        while buffer.count - offset >= 2 && buffer[offset] == 0x0D && buffer[offset + 1] == 0x0A { offset += 2 }
        guard offset < buffer.count else { return nil }
        guard let headEnd = Self.findBlankLine(in: buffer, from: max(offset, headScanFrom)) else {
            headScanFrom = max(offset, buffer.count - 3)
            if buffer.count - offset > maximumHeaderBytes {
                return .failure(status: 400, reason: "Bad Request")
            }
            return nil
        }
        if headEnd - offset > maximumHeaderBytes {
            return .failure(status: 400, reason: "Bad Request")
        }
        let blockStart = offset
        offset = headEnd + 4
        headScanFrom = offset
        let parsed = buffer.withUnsafeBufferPointer { bytes in
            Self.parseHeadBlock(UnsafeBufferPointer(rebasing: bytes[blockStart..<headEnd]))
        }
        guard var head = parsed else { return .failure(status: 400, reason: "Bad Request") }

        var contentLength: Int?
        var chunked = false
        var expectContinue = false
        let fields = head.headerFields
        for field in fields.fields {
            switch Self.interestingName(fields.bytes[field.name]) {
            case .contentLength:
                let digits = fields.bytes[field.value]
                guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    return .failure(status: 400, reason: "Bad Request")
                }
                let length = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                if let existing = contentLength, existing != length { return .failure(status: 400, reason: "Bad Request") }
                contentLength = length
            case .transferEncoding:
                let codings = Self.lowercased(fields.text(in: field.value)).split(separator: ",").map { $0.trimmingSpaces }
                guard codings.last == "chunked", codings.allSatisfy({ $0 == "chunked" }) else {
                    return .failure(status: 501, reason: "Not Implemented")
                }
                chunked = true
            case .connection:
                let tokens = Self.lowercased(fields.text(in: field.value)).split(separator: ",").map { $0.trimmingSpaces }
                if tokens.contains("close") { head.keepAlive = false }
                if tokens.contains("keep-alive") { head.keepAlive = true }
            case .expect:
                if Self.lowercased(fields.text(in: field.value)) == "100-continue" { expectContinue = true }
            case nil:
                break
            }
        }
        if chunked && contentLength != nil { return .failure(status: 400, reason: "Bad Request") }
        if let contentLength, contentLength > maximumBodyBytes {
            return .failure(status: 413, reason: "Payload Too Large")
        }
        if chunked {
            state = .chunkSize(head: head)
        } else if let contentLength, contentLength > 0 {
            state = .fixedBody(head: head, remaining: contentLength)
        } else {
            return finish(head)
        }
        if expectContinue && offset == buffer.count { return .continueExpected }
        return step()
    }

    /// Where the CRLF CRLF that ends a header block starts, searching from `start`; nil when it has not arrived.
    private static func findBlankLine(in buffer: [UInt8], from start: Int) -> Int? {
        buffer.withUnsafeBufferPointer { bytes -> Int? in
            guard let base = bytes.baseAddress else { return nil }
            var index = start
            while index + 3 < bytes.count {
                // memchr finds each CR at vector speed; a header block has one per line.
                guard let found = memchr(base + index, 0x0D, bytes.count - 3 - index) else { return nil }
                let position = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                if bytes[position + 1] == 0x0A && bytes[position + 2] == 0x0D && bytes[position + 3] == 0x0A {
                    return position
                }
                index = position + 1
            }
            return nil
        }
    }

    /// Parses a header block (without its final CRLF CRLF) in one pass over the bytes: the request line, then each
    /// field. Nil for anything malformed.
    private static func parseHeadBlock(_ block: UnsafeBufferPointer<UInt8>) -> Head? {
        var lineStart = 0
        var lineEnd = endOfLine(block, from: 0)
        guard let requestLine = parseRequestLine(UnsafeBufferPointer(rebasing: block[0..<lineEnd])) else { return nil }
        var fields: [HTTPHeaderFields.Field] = []
        fields.reserveCapacity(12)
        while lineEnd < block.count {
            // endOfLine stops at a CR followed by LF, or at a bare LF or another control character (rejected
            // here), or the end.
            guard block[lineEnd] == 0x0D, lineEnd + 1 < block.count, block[lineEnd + 1] == 0x0A else { return nil }
            lineStart = lineEnd + 2
            lineEnd = endOfLine(block, from: lineStart)
            guard let field = parseField(block, line: lineStart..<lineEnd) else { return nil }
            fields.append(field)
        }
        // The fields keep the whole block (request line included) so their ranges need no shifting.
        return Head(method: requestLine.method, target: requestLine.target,
                    headerFields: HTTPHeaderFields(bytes: Array(block), fields: fields), keepAlive: requestLine.keepAlive)
    }

    /// The index of the first control character other than a tab (CR, LF, or one that makes the line invalid) or
    /// DEL at or after `start`, or the end of the block. Header values may hold neither, so this one scan both
    /// finds the end of a line and validates it; it tests eight bytes at a time (a request's head is mostly
    /// long values: the signature, the user agent).
    private static func endOfLine(_ block: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = block.baseAddress else { return start }
        var index = start
        while index < block.count {
            while index + 8 <= block.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                // Word-at-a-time tests: some byte is below 0x20; some byte equals 0x7F (is zero after the xor).
                let below = (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080
                let flipped = word ^ 0x7F7F_7F7F_7F7F_7F7F
                let delete = (flipped &- 0x0101_0101_0101_0101) & ~flipped & 0x8080_8080_8080_8080
                if below | delete != 0 { break }
                index += 8
            }
            let stop = min(index + 8, block.count)
            while index < stop {
                let byte = block[index]
                if (byte < 0x20 && byte != 0x09) || byte == 0x7F { return index }
                index += 1
            }
        }
        return block.count
    }

    /// `method SP target SP HTTP/1.x`.
    private static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>)
        -> (method: String, target: String, keepAlive: Bool)? {
        guard let firstSpace = line.firstIndex(of: 0x20) else { return nil }
        var secondSpace = firstSpace + 1
        while secondSpace < line.count && line[secondSpace] != 0x20 { secondSpace += 1 }
        guard secondSpace < line.count else { return nil }
        let method = UnsafeBufferPointer(rebasing: line[0..<firstSpace])
        let target = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        let version = UnsafeBufferPointer(rebasing: line[(secondSpace + 1)...])
        guard !method.isEmpty, method.allSatisfy(isTokenByte), !target.isEmpty,
              target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        let keepAlive: Bool
        if version.elementsEqual("HTTP/1.1".utf8) {
            keepAlive = true
        } else if version.elementsEqual("HTTP/1.0".utf8) {
            keepAlive = false
        } else {
            return nil
        }
        return (String(decoding: method, as: UTF8.self), String(decoding: target, as: UTF8.self), keepAlive)
    }

    /// `name: value` on the line at `line` of `block`: where the name and the value (trimmed of spaces and tabs) lie.
    private static func parseField(_ block: UnsafeBufferPointer<UInt8>, line: Range<Int>) -> HTTPHeaderFields.Field? {
        var colon = line.lowerBound
        // No empty names, no whitespace before the colon, no obsolete line folding.
        while colon < line.upperBound && block[colon] != UInt8(ascii: ":") {
            guard isTokenByte(block[colon]) else { return nil }
            colon += 1
        }
        guard colon > line.lowerBound, colon < line.upperBound else { return nil }
        var valueStart = colon + 1
        var valueEnd = line.upperBound
        while valueStart < valueEnd && (block[valueStart] == 0x20 || block[valueStart] == 0x09) { valueStart += 1 }
        while valueEnd > valueStart && (block[valueEnd - 1] == 0x20 || block[valueEnd - 1] == 0x09) { valueEnd -= 1 }
        // The value holds no control characters but tabs, and no DEL: the line ends at the first (endOfLine).
        return (line.lowerBound..<colon, valueStart..<valueEnd)
    }

    /// RFC 9110 token characters.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }

    /// The headers the parser acts on.
    private enum FramingHeader {
        case contentLength, transferEncoding, connection, expect
    }

    /// Which framing header a name is, ignoring case; nil for any other (most headers: dismissed by length).
    private static func interestingName(_ name: ArraySlice<UInt8>) -> FramingHeader? {
        let known: (name: StaticString, header: FramingHeader)
        switch name.count {
        case 14: known = ("content-length", .contentLength)
        case 17: known = ("transfer-encoding", .transferEncoding)
        case 10: known = ("connection", .connection)
        case 6: known = ("expect", .expect)
        default: return nil
        }
        let matches = name.withUnsafeBufferPointer { bytes in
            ASCII.equalIgnoringCase(bytes, UnsafeBufferPointer(start: known.name.utf8Start, count: known.name.utf8CodeUnitCount))
        }
        return matches ? known.header : nil
    }

    static func lowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}

extension Substring {
    var trimmingSpaces: String {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
