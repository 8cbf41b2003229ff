/// Compresses large response bodies for clients that accept it (`Accept-Encoding`), as DynamoDB does: bodies over a
/// threshold (DynamoDB's is 4 KB) are sent gzip- or deflate-coded with `Content-Encoding`; smaller ones, and every
/// body of a client that does not ask, are sent as they are. The request's `Accept-Encoding` is read only for a body
/// over the threshold, so small answers cost nothing.
package struct ResponseCompression: Sendable {
    /// Bodies of more than this many bytes are compressed when the client accepts a coding.
    package var thresholdBytes: Int

    package init(thresholdBytes: Int) {
        self.thresholdBytes = thresholdBytes
    }

    /// Replaces `response`'s body by its coded form and adds `Content-Encoding`, when the body is over the threshold
    /// and `request` accepts gzip or deflate. Headers derived from the body (a checksum) must be computed after.
    package func apply(to response: inout HTTPResponse, for request: HTTPRequest) {
        guard response.body.count > thresholdBytes,
              let coding = AcceptEncoding.preferredCoding(request.headerFields),
              let coded = ZlibCodec.encode(response.body, coding: coding) else { return }
        response.body = coded
        response.headers.append(("Content-Encoding", coding.name))
    }
}
