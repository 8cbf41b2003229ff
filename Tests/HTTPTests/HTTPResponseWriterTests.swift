import Testing
@testable import HTTP

@Suite("HTTP response writer")
struct HTTPResponseWriterTests {
    static func written(_ response: HTTPResponse, closing: Bool = false) -> String {
        var output: [UInt8] = []
        HTTPResponseWriter.append(response, closing: closing, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test("A 200 answer: status line, headers in order, Content-Length, blank line, body")
    func okResponse() {
        let text = Self.written(HTTPResponse(status: 200, headers: [("Content-Type", "a/b"), ("x-amz-crc32", "7")],
                                             body: Array("{}".utf8)))
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: a/b\r\nx-amz-crc32: 7\r\nContent-Length: 2\r\n\r\n{}")
    }

    @Test("Other statuses carry their reason; closing adds Connection: close")
    func otherStatusClosing() {
        let text = Self.written(HTTPResponse(status: 413, body: []), closing: true)
        #expect(text == "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    @Test("Decimal lengths are written digit for digit", arguments: [0, 7, 10, 99, 100, 4096, 16_777_216, Int.max])
    func decimals(value: Int) {
        var output = Array("x".utf8)
        HTTPResponseWriter.appendDecimal(value, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "x\(value)")
    }
}
