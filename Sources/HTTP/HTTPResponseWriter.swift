/// Serializes responses: status line, headers, `Content-Length`, `Connection: close` when closing, body.
enum HTTPResponseWriter {
    static func append(_ response: HTTPResponse, closing: Bool, to output: inout [UInt8]) {
        output.reserveCapacity(output.count + response.body.count + 256)
        if response.status == 200 {
            output.append(contentsOf: okStatusLine)
        } else {
            output.append(contentsOf: "HTTP/1.1 \(response.status) \(reasonPhrase(response.status))\r\n".utf8)
        }
        for header in response.headers {
            output.append(contentsOf: header.name.utf8)
            output.append(0x3A)
            output.append(0x20)
            output.append(contentsOf: header.value.utf8)
            output.append(0x0D)
            output.append(0x0A)
        }
        output.append(contentsOf: contentLengthName)
        appendDecimal(response.body.count, to: &output)
        output.append(0x0D)
        output.append(0x0A)
        if closing { output.append(contentsOf: connectionClose) }
        output.append(0x0D)
        output.append(0x0A)
        output.append(contentsOf: response.body)
    }

    private static let okStatusLine = Array("HTTP/1.1 200 OK\r\n".utf8)
    private static let contentLengthName = Array("Content-Length: ".utf8)
    private static let connectionClose = Array("Connection: close\r\n".utf8)

    /// Appends a non-negative number's decimal digits (no String in between).
    static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        let start = output.count
        var remaining = max(0, value)
        repeat {
            output.append(UInt8(truncatingIfNeeded: 0x30 + remaining % 10))
            remaining /= 10
        } while remaining > 0
        output[start...].reverse()
    }

    /// A minimal error response the server itself produces (bad framing, limits).
    static func errorResponse(status: Int, reason: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/plain")], body: Array("\(reason)\n".utf8))
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 408: return "Request Timeout"
        case 413: return "Payload Too Large"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}
