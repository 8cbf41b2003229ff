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
        let allHeaders = headers + [("x-amz-date", amzDate)]
        let signedHeaders = Array(Set(allHeaders.map { CanonicalRequest.lowercased($0.name) })).sorted()
        let payloadHash = Crypto.hex(Crypto.sha256(body))
        let canonical = CanonicalRequest.build(method: method, path: path, query: query, headers: allHeaders,
                                               signedHeaders: signedHeaders, payloadHash: payloadHash) ?? ""
        let scopeDate = String(amzDate.prefix(8))
        let scope = "\(scopeDate)/\(region)/\(service)/aws4_request"
        let stringToSign = CanonicalRequest.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical)
        let key = signingKeys.key(secret: secretAccessKey, date: scopeDate, region: region, service: service)
        let signature = Crypto.hex(Crypto.hmacSHA256(key: key, data: Array(stringToSign.utf8)))
        return [
            ("X-Amz-Date", amzDate),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(scope), "
                + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"),
        ]
    }
}
