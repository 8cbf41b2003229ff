/// Cross-origin resource sharing (the Fetch standard's CORS protocol) for browser clients: which `Access-Control-*`
/// headers an answer carries. The server supplies the values (which response headers scripts may read, how long a
/// preflight holds); this type knows when each header is sent.
///
/// As DynamoDB answers (checked against a capture of DynamoDB's own preflight answer and ScyllaDB's CORS tests): a
/// request without `Origin` gets no CORS header at all; any origin is allowed (`*`); every answer to a request with
/// `Origin` carries `Access-Control-Allow-Origin` and `Access-Control-Expose-Headers`; an `OPTIONS` request with
/// `Origin` is a preflight, answered 200 with an empty body, `Access-Control-Max-Age`, and the method and headers
/// the browser asks for (`Access-Control-Request-Method`, `-Headers`) echoed as allowed.
package struct CORSPolicy: Sendable {
    /// `Access-Control-Expose-Headers`: the response headers a script may read.
    package var exposedHeaders: String
    /// `Access-Control-Max-Age`: how long a browser may reuse a preflight's answer.
    package var maximumAgeSeconds: Int

    package init(exposedHeaders: String, maximumAgeSeconds: Int) {
        self.exposedHeaders = exposedHeaders
        self.maximumAgeSeconds = maximumAgeSeconds
    }

    /// Whether `request` is a preflight, to be answered by `preflightHeaders(for:)` alone.
    package func isPreflight(_ request: HTTPRequest) -> Bool {
        request.method == "OPTIONS" && request.headerFields.contains(named: "origin")
    }

    /// The headers of a preflight's answer, in the order DynamoDB sends them.
    package func preflightHeaders(for request: HTTPRequest) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Access-Control-Allow-Origin", "*")]
        if let requested = request.header("Access-Control-Request-Headers") {
            headers.append(("Access-Control-Allow-Headers", requested))
        }
        if let requested = request.header("Access-Control-Request-Method") {
            headers.append(("Access-Control-Allow-Methods", requested))
        }
        headers.append(("Access-Control-Expose-Headers", exposedHeaders))
        headers.append(("Access-Control-Max-Age", String(maximumAgeSeconds)))
        return headers
    }

    /// Adds the headers every other answer to a request with `Origin` carries; changes nothing without `Origin`.
    package func addHeaders(for request: HTTPRequest, to response: inout HTTPResponse) {
        guard request.headerFields.contains(named: "origin") else { return }
        response.headers.append(("Access-Control-Allow-Origin", "*"))
        response.headers.append(("Access-Control-Expose-Headers", exposedHeaders))
    }
}
