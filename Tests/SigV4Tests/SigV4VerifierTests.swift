import Testing
@testable import SigV4

@Suite("SigV4 verification")
struct SigV4VerifierTests {
    /// 2024-05-17T08:30:15Z
    static let signingTime = 1_715_934_615.0

    func verifier(now: Double = signingTime) -> SigV4Verifier {
        SigV4Verifier(credentials: .defaults, now: { now })
    }

    /// A DynamoDB request exactly as botocore signed it (region eu-west-1, body {"Limit": 10}).
    static let botocoreRequest = SignedRequest(
        method: "POST", path: "/", query: "",
        headers: [("Host", "localhost:8000"), ("Content-Type", "application/x-amz-json-1.0"),
                  ("X-Amz-Target", "DynamoDB_20120810.ListTables"), ("X-Amz-Date", "20240517T083015Z"),
                  ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240517/eu-west-1/dynamodb/"
                   + "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                   + "Signature=15b32960a0f73e0dfcd57634755ee5643a4e37d5dab2ac8328b51ae2a6e517eb")],
        body: Array(#"{"Limit": 10}"#.utf8))

    @Test("A request signed by botocore verifies and names its account and region")
    func botocoreSignatureVerifies() throws {
        let caller = try verifier().verify(Self.botocoreRequest)
        #expect(caller == CallerIdentity(accessKeyId: "AKIAIOSFODNN7EXAMPLE", accountId: "123456789012", region: "eu-west-1"))
    }

    @Test("A request our signer signs verifies; the signing key is cached")
    func signerRoundTrip() throws {
        let signer = SigV4Signer(accessKeyId: "fakeMyKeyId", secretAccessKey: "fakeSecretAccessKey", region: "us-west-2")
        let body = Array("{}".utf8)
        let base: [(name: String, value: String)] = [("host", "127.0.0.1:8000"), ("x-amz-target", "DynamoDB_20120810.ListTables")]
        let added = signer.sign(method: "POST", path: "/", headers: base, body: body, date: Self.signingTime)
        let request = SignedRequest(method: "POST", path: "/", query: "", headers: base + added, body: body)
        let verifying = verifier()
        #expect(try verifying.verify(request).accountId == "000000000000")
        #expect(try verifying.verify(request).region == "us-west-2")
        #expect(verifying.signingKeys.count == 1)
    }

    @Test("A remembered credential is still checked against each request's date")
    func rememberedCredentialChecksDate() throws {
        // 2024-05-17T23:59:00Z: the next request claims the next day with the same credential scope.
        let lateEvening = 1_715_990_340.0
        let verifying = verifier(now: lateEvening + 30)
        let signer = SigV4Signer(accessKeyId: "AKIAIOSFODNN7EXAMPLE",
                                 secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let base: [(name: String, value: String)] = [("host", "localhost")]
        let added = signer.sign(method: "POST", path: "/", headers: base, body: [], date: lateEvening)
        var request = SignedRequest(method: "POST", path: "/", query: "", headers: base + added, body: [])
        _ = try verifying.verify(request)
        _ = try verifying.verify(request)
        request.headers[1].value = "20240518T000030Z"
        #expect(throws: SigV4Error.invalidSignature(message: "Date in Credential scope does not match YYYYMMDD from "
            + "ISO-8601 version of date from HTTP: '20240517' != '20240518', from '20240518T000030Z'.")) {
            try verifying.verify(request)
        }
    }

    @Test("A remembered header with another signature, or the same one in capitals, does not verify")
    func rememberedHeaderWithAnotherSignature() throws {
        let verifying = verifier()
        _ = try verifying.verify(Self.botocoreRequest)
        _ = try verifying.verify(Self.botocoreRequest)
        let authorization = Self.botocoreRequest.headers[4].value
        for replacement in [String(authorization.dropLast()) + "f", String(authorization.dropLast(64)) + String(
            authorization.suffix(64)).uppercased(), String(authorization.dropLast())] {
            var request = Self.botocoreRequest
            request.headers[4].value = replacement
            #expect(throws: SigV4Verifier.mismatch) { try verifying.verify(request) }
        }
        #expect(try verifying.verify(Self.botocoreRequest).accountId == "123456789012")
    }

    @Test("Many credentials verify in turn on one verifier, each naming its own account and region")
    func manyCredentialsInTurn() throws {
        let verifying = verifier()
        let regions = (1...12).map { "region-\($0)" }
        for round in 0..<2 {
            for region in regions {
                for (key, secret, account) in [("fakeMyKeyId", "fakeSecretAccessKey", "000000000000"),
                                               ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                                "123456789012")] {
                    let signer = SigV4Signer(accessKeyId: key, secretAccessKey: secret, region: region)
                    let base: [(name: String, value: String)] = [("host", "localhost")]
                    let added = signer.sign(method: "POST", path: "/", headers: base, body: [], date: Self.signingTime)
                    var request = SignedRequest(method: "POST", path: "/", query: "", headers: base + added, body: [])
                    let caller = try verifying.verify(request)
                    #expect(caller == CallerIdentity(accessKeyId: key, accountId: account, region: region), "round \(round)")
                    request.body = [0x20]
                    #expect(throws: SigV4Verifier.mismatch) { try verifying.verify(request) }
                }
            }
        }
    }

    @Test("A changed body no longer verifies")
    func tamperedBody() {
        var request = Self.botocoreRequest
        request.body = Array(#"{"Limit": 11}"#.utf8)
        #expect(throws: SigV4Verifier.mismatch) { try verifier().verify(request) }
    }

    @Test("Clock skew: 14:59 either way verifies, 15:01 does not")
    func clockSkew() throws {
        _ = try verifier(now: Self.signingTime + 899).verify(Self.botocoreRequest)
        _ = try verifier(now: Self.signingTime - 899).verify(Self.botocoreRequest)
        #expect(throws: SigV4Error.invalidSignature(message: "Signature expired: 20240517T083015Z is now earlier than "
            + "20240517T083016Z (20240517T084516Z - 15 min.)")) {
            try verifier(now: Self.signingTime + 901).verify(Self.botocoreRequest)
        }
        #expect(throws: SigV4Error.invalidSignature(message: "Signature not yet current: 20240517T083015Z is still "
            + "later than 20240517T083014Z (20240517T081514Z + 15 min.)")) {
            try verifier(now: Self.signingTime - 901).verify(Self.botocoreRequest)
        }
    }

    @Test("No Authorization is a missing authentication token")
    func missingAuthorization() {
        let request = SignedRequest(method: "POST", path: "/", query: "", headers: [("Host", "x")], body: [])
        #expect(throws: SigV4Error.missingAuthenticationToken(message: "Request is missing Authentication Token")) {
            try verifier().verify(request)
        }
    }

    @Test("An Authorization missing its parts is incomplete, listing each missing part")
    func incomplete() {
        let authorization = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240517/us-east-1/dynamodb/aws4_request"
        let request = SignedRequest(method: "POST", path: "/", query: "",
                                    headers: [("Host", "x"), ("Authorization", authorization)], body: [])
        let expected = "Authorization header requires 'Signature' parameter. Authorization header requires "
            + "'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a "
            + "'Date' header. Authorization=" + authorization
        #expect(throws: SigV4Error.incompleteSignature(message: expected)) { try verifier().verify(request) }
    }

    @Test("An unknown access key is an unrecognized client")
    func unknownKey() {
        var request = Self.botocoreRequest
        request.headers[4].value = request.headers[4].value.replacingFirst("AKIAIOSFODNN7EXAMPLE", with: "AKIDUNKNOWN")
        #expect(throws: SigV4Error.unrecognizedClient(message: "The security token included in the request is invalid.")) {
            try verifier().verify(request)
        }
    }

    @Test("Host must be signed")
    func hostMustBeSigned() {
        var request = Self.botocoreRequest
        request.headers[4].value = request.headers[4].value.replacingFirst("content-type;host;", with: "content-type;")
        #expect(throws: SigV4Error.invalidSignature(message: "'Host' must be a 'SignedHeader' in the AWS Authorization.")) {
            try verifier().verify(request)
        }
    }

    @Test("A presigned URL verifies until it expires")
    func presigned() throws {
        // Presign by computing the query-string signature with our primitives.
        let credential = "AKIAIOSFODNN7EXAMPLE%2F20240517%2Fus-east-1%2Fdynamodb%2Faws4_request"
        let query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=\(credential)&X-Amz-Date=20240517T083015Z"
            + "&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
        let headers: [(name: String, value: String)] = [("Host", "localhost")]
        let canonical = CanonicalRequest.build(method: "GET", path: "/", query: query, headers: headers,
                                               signedHeaders: ["host"], payloadHash: "UNSIGNED-PAYLOAD") ?? ""
        let toSign = CanonicalRequest.stringToSign(amzDate: "20240517T083015Z",
                                                   scope: "20240517/us-east-1/dynamodb/aws4_request",
                                                   canonicalRequest: canonical)
        let key = SigningKeyCache.derive(secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", date: "20240517",
                                         region: "us-east-1", service: "dynamodb")
        let signature = Crypto.hex(Crypto.hmacSHA256(key: key, data: Array(toSign.utf8)))
        let request = SignedRequest(method: "GET", path: "/", query: query + "&X-Amz-Signature=\(signature)",
                                    headers: headers, body: [])
        #expect(try verifier(now: Self.signingTime + 30).verify(request).region == "us-east-1")
        #expect(throws: SigV4Error.self) { try verifier(now: Self.signingTime + 61).verify(request) }
    }

    @Test("With verification off the caller still comes from the credential scope")
    func identifyWithoutVerifying() {
        let caller = verifier().identifyWithoutVerifying(Self.botocoreRequest)
        #expect(caller.accountId == "123456789012")
        #expect(caller.region == "eu-west-1")
        let anonymous = verifier().identifyWithoutVerifying(SignedRequest(method: "POST", path: "/", query: "",
                                                                         headers: [], body: []))
        #expect(anonymous.region == "us-east-1")
        #expect(anonymous.accountId == "000000000000")
    }
}

extension String {
    /// Replaces the first occurrence of `target` (tests only; no Foundation).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let characters = Array(self)
        let pattern = Array(target)
        guard pattern.count <= characters.count else { return self }
        for start in 0...(characters.count - pattern.count) where Array(characters[start..<(start + pattern.count)]) == pattern {
            return String(characters[..<start]) + replacement + String(characters[(start + pattern.count)...])
        }
        return self
    }
}
