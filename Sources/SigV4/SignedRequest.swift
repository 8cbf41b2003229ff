/// What the verifier needs of an HTTP request; independent of the HTTP module.
package struct SignedRequest: Sendable {
    /// Where one header's name and value lie in `headerBytes`.
    package typealias HeaderField = (name: Range<Int>, value: Range<Int>)

    package var method: String
    /// Path exactly as sent (still percent-encoded).
    package var path: String
    /// Raw query string without `?` (still percent-encoded), empty when absent.
    package var query: String
    /// The bytes the header fields lie in (a server passes its received header block as it is).
    package var headerBytes: [UInt8]
    /// Header fields as received (names any case, values trimmed), in arrival order.
    package var headerFields: [HeaderField]
    package var body: [UInt8]

    package init(method: String, path: String, query: String, headerBytes: [UInt8], headerFields: [HeaderField],
                 body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headerBytes = headerBytes
        self.headerFields = headerFields
        self.body = body
    }

    package init(method: String, path: String, query: String, headers: [(name: String, value: String)],
                 body: [UInt8]) {
        self.init(method: method, path: path, query: query, headerBytes: [], headerFields: [], body: body)
        self.headers = headers
    }

    /// Header fields as text.
    package var headers: [(name: String, value: String)] {
        get { headerFields.map { (text(headerBytes[$0.name]), text(headerBytes[$0.value])) } }
        set { (headerBytes, headerFields) = CanonicalRequest.headerBytes(newValue) }
    }

    private func text(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }
}

/// Who signed a request: the namespace a request acts in.
package struct CallerIdentity: Sendable, Equatable {
    package var accessKeyId: String
    package var accountId: String
    /// Region from the credential scope (`…/REGION/dynamodb/aws4_request`).
    package var region: String

    package init(accessKeyId: String, accountId: String, region: String) {
        self.accessKeyId = accessKeyId
        self.accountId = accountId
        self.region = region
    }
}
