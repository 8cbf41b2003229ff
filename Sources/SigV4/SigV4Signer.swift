/// Signs requests with SigV4 (the benchmark client and tests use it; the server only verifies).
package struct SigV4Signer: Sendable {
    package var accessKeyId: String
    package var secretAccessKey: String
    package var region: String
    package var service: String
    private let signingKeys = SigningKeyCache(capacity: 16)

    package init(accessKeyId: String, secretAccessKey: String, region: String, service: String = "dynamodb") {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.service = service
    }

    /// The headers to add to a request so that it verifies: `X-Amz-Date` and `Authorization`. Every header in
    /// `headers` (which must include `host`) is signed.
    package func sign(method: String, path: String, query: String = "", headers: [(name: String, value: String)],
                      body: [UInt8], date: Double) -> [(name: String, value: String)] {
        let amzDate = AmzDate.format(date)
        var allHeaders = headers
        allHeaders.append(("x-amz-date", amzDate))
        var signedHeaders: [String] = []
        for name in allHeaders.map({ CanonicalRequest.lowercased($0.name) }).sorted() where signedHeaders.last != name {
            signedHeaders.append(name)
        }
        let canonical = CanonicalRequest.buildBytes(method: method, path: path, query: query, headers: allHeaders,
                                                    signedHeaders: signedHeaders,
                                                    payloadHash: Crypto.hexBytes(Crypto.sha256(body))) ?? []
        let scopeDate = String(amzDate.prefix(8))
        let scope = "\(scopeDate)/\(region)/\(service)/aws4_request"
        let stringToSign = CanonicalRequest.stringToSignBytes(amzDate: amzDate, scope: scope.utf8,
                                                              canonicalRequest: canonical)
        let key = signingKeys.key(secret: secretAccessKey, date: scopeDate, region: region, service: service)
        let signature = Crypto.hex(Crypto.hmacSHA256(key: key, data: stringToSign))
        return [
            ("X-Amz-Date", amzDate),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(scope), "
                + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"),
        ]
    }
}
