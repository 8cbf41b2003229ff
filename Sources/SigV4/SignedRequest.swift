/// What the verifier needs of an HTTP request; independent of the HTTP module.
package struct SignedRequest: Sendable {
    package var method: String
    /// Path exactly as sent (still percent-encoded).
    package var path: String
    /// Raw query string without `?` (still percent-encoded), empty when absent.
    package var query: String
    /// Header fields as received (names any case, values untrimmed).
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(method: String, path: String, query: String, headers: [(name: String, value: String)],
                 body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
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
