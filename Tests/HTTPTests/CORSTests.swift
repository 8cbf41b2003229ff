import Testing
@testable import HTTP

/// CORS headers as DynamoDB sends them.
@Suite("CORS")
struct CORSTests {
    static let policy = CORSPolicy(exposedHeaders: "x-amzn-RequestId,Date", maximumAgeSeconds: 172_800)

    static func request(_ method: String, _ headers: [String]) -> HTTPRequest {
        var parser = HTTPRequestParser(maximumHeaderBytes: 4096, maximumBodyBytes: 0)
        let head = "\(method) / HTTP/1.1\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
        guard case .request(let parsed)? = parser.feed(Array(head.utf8)).first else { preconditionFailure() }
        return parsed.request
    }

    @Test("Without Origin an answer carries no CORS header, and OPTIONS is no preflight",
          arguments: ["GET", "POST", "OPTIONS"])
    func withoutOrigin(_ method: String) {
        let request = Self.request(method, ["Host: x"])
        var response = HTTPResponse(status: 200)
        Self.policy.addHeaders(for: request, to: &response)
        #expect(response.headers.isEmpty)
        #expect(!Self.policy.isPreflight(request))
    }

    @Test("With Origin every answer allows any origin and exposes the headers, without preflight headers",
          arguments: ["GET", "POST"])
    func withOrigin(_ method: String) {
        let request = Self.request(method, ["origin: http://example.com", "Access-Control-Request-Method: PUT"])
        var response = HTTPResponse(status: 400, headers: [("Content-Type", "text/plain")])
        Self.policy.addHeaders(for: request, to: &response)
        #expect(response.headers.map(\.name)
                    == ["Content-Type", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers"])
        #expect(response.headers[1].value == "*")
        #expect(response.headers[2].value == "x-amzn-RequestId,Date")
        #expect(!Self.policy.isPreflight(request))
    }

    @Test("A preflight echoes the requested method and headers and says how long it holds")
    func preflight() {
        let request = Self.request("OPTIONS", ["Origin: http://example.com", "Access-Control-Request-Method: POST",
                                               "Access-Control-Request-Headers: content-type,x-amz-target"])
        #expect(Self.policy.isPreflight(request))
        let headers = Self.policy.preflightHeaders(for: request)
        #expect(headers.map(\.name) == ["Access-Control-Allow-Origin", "Access-Control-Allow-Headers",
                                        "Access-Control-Allow-Methods", "Access-Control-Expose-Headers",
                                        "Access-Control-Max-Age"])
        #expect(headers.map(\.value) == ["*", "content-type,x-amz-target", "POST", "x-amzn-RequestId,Date", "172800"])
    }

    @Test("A preflight that requests nothing gets no Allow-Methods or Allow-Headers")
    func barePreflight() {
        let headers = Self.policy.preflightHeaders(for: Self.request("OPTIONS", ["Origin: http://example.com"]))
        #expect(headers.map(\.name) == ["Access-Control-Allow-Origin", "Access-Control-Expose-Headers",
                                        "Access-Control-Max-Age"])
    }
}
