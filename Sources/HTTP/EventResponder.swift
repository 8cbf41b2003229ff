/// Turns what the parser produced into response bytes, in request order: the one place where a request meets the
/// handler, for both connection models.
enum EventResponder {
    /// Appends the answers to `events` to `output`; returns whether the connection must close once they are sent.
    /// Events after one that closes the connection are not answered.
    static func answer(_ events: [HTTPRequestParser.Event], handler: HTTPServer.Handler, shuttingDown: Bool,
                       to output: inout [UInt8]) -> Bool {
        for event in events where answer(event, handler: handler, shuttingDown: shuttingDown, to: &output) {
            return true
        }
        return false
    }

    /// Appends the answer to one event; returns whether the connection must close once it is sent.
    static func answer(_ event: HTTPRequestParser.Event, handler: HTTPServer.Handler, shuttingDown: Bool,
                       to output: inout [UInt8]) -> Bool {
        switch event {
        case .request(let parsed):
            return respond(to: parsed, handler: handler, shuttingDown: shuttingDown, to: &output)
        case .continueExpected:
            output.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
            return false
        case .failure(let status, let reason):
            HTTPResponseWriter.append(HTTPResponseWriter.errorResponse(status: status, reason: reason),
                                      closing: true, to: &output)
            return true
        }
    }

    /// Runs the handler on a request and appends the response; returns whether the connection must close after it.
    static func respond(to parsed: HTTPRequestParser.ParsedRequest, handler: HTTPServer.Handler, shuttingDown: Bool,
                        to output: inout [UInt8]) -> Bool {
        let closing = !parsed.keepAlive || shuttingDown
        append(handler(parsed.request), closing: closing, to: &output)
        return closing
    }

    /// Appends a response, first waiting for its deferral in place when it has one.
    static func append(_ response: HTTPResponse, closing: Bool, to output: inout [UInt8]) {
        HTTPResponseWriter.append(response.deferral?.wait() ?? response, closing: closing, to: &output)
    }
}
