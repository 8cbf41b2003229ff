import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Verifies AWS Signature Version 4 on requests (the `Authorization` header or presigned query parameters), with
/// DynamoDB's checks in DynamoDB's order and its messages.
package final class SigV4Verifier: Sendable {
    package let credentials: CredentialStore
    /// Seconds since the Unix epoch; injected so tests can pin the clock.
    package let now: @Sendable () -> Double
    /// Largest accepted difference between the request's date and `now()`.
    package let allowedClockSkewSeconds: Double
    package let signingKeys = SigningKeyCache()
    /// Authorization headers already resolved, most recent last, by their text up to the signature. A client sends
    /// the same credential and signed-header list on every request; remembering what they resolve to leaves the
    /// date and the signature as the only new work.
    private let resolvedCredentials = Mutex<[ResolvedCredential]>([])

    /// The service name requests must be scoped to.
    static let service = "dynamodb"

    package init(credentials: CredentialStore, allowedClockSkewSeconds: Double = 15 * 60,
                 now: @escaping @Sendable () -> Double) {
        self.credentials = credentials
        self.allowedClockSkewSeconds = allowedClockSkewSeconds
        self.now = now
    }

    /// Verifies the signature and returns the caller.
    package func verify(_ request: SignedRequest) throws(SigV4Error) -> CallerIdentity {
        let authorization = headerRange("authorization", in: request)
        var parts: SignatureParts
        var amzDate: String?
        // Set when the header repeats, up to its signature, the text of one that resolved before: its parts are known.
        var known: (resolved: ResolvedCredential, signature: ArraySlice<UInt8>)?
        if let authorization, Self.startsWithAWS4(request.headerBytes[authorization]) {
            known = rememberedAuthorization(request.headerBytes[authorization])
            parts = known?.resolved.parts ?? request.headerBytes.withUnsafeBufferPointer {
                SignatureParts.parse(bytes: UnsafeBufferPointer(rebasing: $0[authorization]))
            }
            amzDate = header("x-amz-date", in: request)
            var missing = ""
            if parts.credential == nil { missing += "Authorization header requires 'Credential' parameter. " }
            if parts.signature == nil { missing += "Authorization header requires 'Signature' parameter. " }
            if parts.signedHeaders == nil { missing += "Authorization header requires 'SignedHeaders' parameter. " }
            if amzDate == nil && header("date", in: request) == nil {
                missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            }
            if !missing.isEmpty {
                throw .incompleteSignature(message: missing + "Authorization=" + text(authorization, in: request))
            }
        } else if let presigned = SignatureParts.parse(query: request.query) {
            parts = presigned.parts
            amzDate = presigned.amzDate
            var missing = ""
            if parts.credential == nil { missing += "AWS query-string parameters must include 'X-Amz-Credential'. " }
            if parts.signature == nil { missing += "AWS query-string parameters must include 'X-Amz-Signature'. " }
            if parts.signedHeaders == nil { missing += "AWS query-string parameters must include 'X-Amz-SignedHeaders'. " }
            if amzDate == nil { missing += "AWS query-string parameters must include 'X-Amz-Date'. " }
            if !missing.isEmpty { throw .incompleteSignature(message: missing + "Re-examine the query-string parameters.") }
        } else {
            throw .missingAuthenticationToken(message: "Request is missing Authentication Token")
        }

        // The request time, and the clock-skew (or presigned expiry) window.
        let dateText = amzDate ?? header("date", in: request) ?? ""
        guard let requestTime = AmzDate.parse(dateText) ?? (amzDate == nil ? AmzDate.parseHTTPDate(dateText) : nil) else {
            throw .incompleteSignature(message: "Date must be in ISO-8601 'basic format'. Got '\(dateText)'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
        let current = now()
        let requestStamp = AmzDate.format(requestTime)
        var nowStamp: String { AmzDate.format(current) }
        if parts.isPresigned {
            let expires = parts.expiresSeconds ?? 900
            if current > requestTime + expires {
                throw .invalidSignature(message: "Signature expired: \(requestStamp) is now earlier than "
                    + "\(AmzDate.format(current - expires)) (\(nowStamp) - \(Int(expires)) sec.)")
            }
        } else if requestTime < current - allowedClockSkewSeconds {
            throw .invalidSignature(message: "Signature expired: \(requestStamp) is now earlier than "
                + "\(AmzDate.format(current - allowedClockSkewSeconds)) (\(nowStamp) - 15 min.)")
        }
        if requestTime > current + allowedClockSkewSeconds {
            throw .invalidSignature(message: "Signature not yet current: \(requestStamp) is still later than "
                + "\(AmzDate.format(current + allowedClockSkewSeconds)) (\(nowStamp) + 15 min.)")
        }

        let resolved: ResolvedCredential
        if let known, known.resolved.scopeDate.utf8.elementsEqual(requestStamp.utf8.prefix(8)) {
            resolved = known.resolved
        } else {
            // Only a header's text is remembered: presigned parameters are resolved each time.
            let header = parts.isPresigned ? nil : authorization.map { request.headerBytes[$0] }
            let head = header.flatMap { text in Self.signatureStart(in: text).map { Array(text[..<$0]) } }
            resolved = try resolve(parts, authorizationHead: head ?? [], requestStamp: requestStamp, dateText: dateText)
            if !resolved.authorizationHead.isEmpty { remember(resolved) }
        }

        // Recompute the signature.
        var payloadHash = Crypto.hexBytes(Crypto.sha256(request.body))
        if let declaredRange = headerRange("x-amz-content-sha256", in: request) {
            let declared = request.headerBytes[declaredRange]
            if declared.elementsEqual("UNSIGNED-PAYLOAD".utf8) {
                payloadHash = Array(declared)
            } else if !declared.elementsEqual(payloadHash) {
                throw Self.mismatch
            }
        } else if parts.isPresigned {
            payloadHash = Array("UNSIGNED-PAYLOAD".utf8)
        }
        guard let canonical = CanonicalRequest.buildBytes(
            method: request.method, path: request.path, query: request.query,
            headerBytes: request.headerBytes, headerFields: request.headerFields, signedHeaders: resolved.signedHeaders,
            payloadHash: payloadHash,
            excludingQuery: parts.isPresigned ? "X-Amz-Signature" : nil) else {
            throw Self.mismatch
        }
        let stringToSign = CanonicalRequest.stringToSignBytes(amzDate: amzDate ?? requestStamp, scope: resolved.scope,
                                                              canonicalRequest: canonical)
        let expected = Crypto.hexBytes(Crypto.hmacSHA256(key: resolved.signingKey, data: stringToSign))
        let signature = known.map { Array($0.signature) } ?? Array((parts.signature ?? "").utf8)
        guard Self.constantTimeEqual(expected, signature) else { throw Self.mismatch }
        return resolved.caller
    }

    /// The remembered credential whose Authorization header text, up to its signature, `authorization` repeats,
    /// and the signature after it. Only a signature of lowercase hex digits qualifies: then the header parses to the
    /// remembered parts and this signature, as `SignatureParts.parse` would find.
    private func rememberedAuthorization(_ authorization: ArraySlice<UInt8>)
        -> (resolved: ResolvedCredential, signature: ArraySlice<UInt8>)? {
        guard let signatureStart = Self.signatureStart(in: authorization) else { return nil }
        let found = authorization.withUnsafeBufferPointer { header in
            let head = UnsafeBufferPointer(rebasing: header[..<(signatureStart - authorization.startIndex)])
            return resolvedCredentials.withLock { entries in
                entries.last { entry in
                    entry.authorizationHead.count == head.count && entry.authorizationHead.withUnsafeBufferPointer {
                        guard let remembered = $0.baseAddress, let sent = head.baseAddress else { return false }
                        return memcmp(remembered, sent, head.count) == 0
                    }
                }
            }
        }
        return found.map { ($0, authorization[signatureStart...]) }
    }

    /// Where the signature starts in a header that ends with `Signature=` and lowercase hex digits; nil otherwise.
    private static func signatureStart(in authorization: ArraySlice<UInt8>) -> Int? {
        authorization.withUnsafeBufferPointer { header -> Int? in
            var start = header.count
            while start > 0 {
                let byte = header[start - 1]
                guard (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) else { break }
                start -= 1
            }
            let name = "Signature=".utf8
            guard start < header.count, start >= name.count,
                  UnsafeBufferPointer(rebasing: header[(start - name.count)..<start]).elementsEqual(name) else {
                return nil
            }
            return authorization.startIndex + start
        }
    }

    private func remember(_ resolved: ResolvedCredential) {
        resolvedCredentials.withLock { entries in
            if entries.count >= Self.resolvedCredentialCapacity { entries.removeFirst() }
            entries.append(resolved)
        }
    }

    /// Distinct headers remembered: enough for the clients of a test suite, few enough to scan.
    private static let resolvedCredentialCapacity = 8

    /// What a signature's algorithm, credential and signed-header list resolve to, checked in DynamoDB's order.
    private func resolve(_ parts: SignatureParts, authorizationHead: [UInt8], requestStamp: String,
                         dateText: String) throws(SigV4Error) -> ResolvedCredential {
        let signedHeaders = Self.fields(of: Array((parts.signedHeaders ?? "").utf8), separator: UInt8(ascii: ";"),
                                        keepingEmpty: false, lowercasing: true)
        if !signedHeaders.contains("host") {
            throw .invalidSignature(message: "'Host' must be a 'SignedHeader' in the AWS Authorization.")
        }
        if parts.algorithm != "AWS4-HMAC-SHA256" {
            throw .incompleteSignature(message: "Unsupported AWS 'algorithm': '\(parts.algorithm)' (only AWS4-HMAC-SHA256 for now). ")
        }
        var credentialBytes = Array((parts.credential ?? "").utf8)
        while credentialBytes.last == UInt8(ascii: "/") { credentialBytes.removeLast() }
        let scope = Self.fields(of: credentialBytes, separator: UInt8(ascii: "/"), keepingEmpty: true, lowercasing: false)
        guard scope.count == 5 else {
            throw .incompleteSignature(message: "Credential must have exactly 5 slash-delimited elements, e.g. "
                + "keyid/date/region/service/term, got '\(String(decoding: credentialBytes, as: UTF8.self))'")
        }
        let (accessKey, scopeDate, region, service, terminator) = (scope[0], scope[1], scope[2], scope[3], scope[4])
        var scopeProblems = ""
        if region.isEmpty { scopeProblems += "Credential should be scoped to a valid region, not '\(region)'. " }
        if service != Self.service { scopeProblems += "Credential should be scoped to correct service: '\(Self.service)'. " }
        if terminator != "aws4_request" {
            scopeProblems += "Credential should be scoped with a valid terminator: 'aws4_request', not '\(terminator)'. "
        }
        if !scopeDate.utf8.elementsEqual(requestStamp.utf8.prefix(8)) {
            scopeProblems += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                + "'\(scopeDate)' != '\(requestStamp.prefix(8))', from '\(dateText)'."
        }
        if !scopeProblems.isEmpty {
            throw .invalidSignature(message: String(scopeProblems.hasSuffix(" ") ? scopeProblems.dropLast() : scopeProblems[...]))
        }
        guard let credentialEntry = credentials.credentials[accessKey] else {
            throw .unrecognizedClient(message: "The security token included in the request is invalid.")
        }

        // The scope is the credential after the access key: date/region/service/terminator.
        let scopeStart = (credentialBytes.firstIndex(of: UInt8(ascii: "/")) ?? credentialBytes.endIndex - 1) + 1
        let key = signingKeys.key(secret: credentialEntry.secretAccessKey, date: scopeDate, region: region,
                                  service: service)
        return ResolvedCredential(
            parts: parts, authorizationHead: authorizationHead, signedHeaders: signedHeaders,
            scope: Array(credentialBytes[scopeStart...]), scopeDate: scopeDate, signingKey: key,
            caller: CallerIdentity(accessKeyId: accessKey, accountId: credentialEntry.accountId, region: region))
    }

    /// The fields of `bytes` between separators, as strings, in one pass (no array of slices in between).
    private static func fields(of bytes: [UInt8], separator: UInt8, keepingEmpty: Bool, lowercasing: Bool) -> [String] {
        var fields: [String] = []
        fields.reserveCapacity(8)
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            for end in 0...buffer.count where end == buffer.count || buffer[end] == separator {
                if keepingEmpty || end > start {
                    let field = UnsafeBufferPointer(rebasing: buffer[start..<end])
                    // Clients send lowercase names: decode them straight from the buffer (a lazily mapped
                    // collection would take String's slow, dynamically cast path).
                    if lowercasing && field.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) {
                        fields.append(String(decoding: field.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 },
                                             as: UTF8.self))
                    } else {
                        fields.append(String(decoding: field, as: UTF8.self))
                    }
                }
                start = end + 1
            }
        }
        return fields
    }

    /// Whether an Authorization header names a SigV4 algorithm ("AWS4-…", after any spaces).
    private static func startsWithAWS4(_ authorization: ArraySlice<UInt8>) -> Bool {
        var bytes = authorization.drop(while: { $0 == 0x20 }).makeIterator()
        for expected in "AWS4-".utf8 where bytes.next() != expected { return false }
        return true
    }

    static let mismatch = SigV4Error.invalidSignature(message: "The request signature we calculated does not match "
        + "the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
        + "documentation for details.")

    /// With verification off: the caller named by the request's credential scope, without checking the
    /// signature (as DynamoDB Local does). Unknown keys get account "000000000000"; no credential gets the defaults.
    package func identifyWithoutVerifying(_ request: SignedRequest) -> CallerIdentity {
        var credential: String?
        if let authorization = header("authorization", in: request) {
            credential = SignatureParts.parse(authorization: authorization).credential
        } else if let presigned = SignatureParts.parse(query: request.query) {
            credential = presigned.parts.credential
        }
        let scope = (credential ?? "").split(separator: "/", omittingEmptySubsequences: false)
        let accessKey = scope.first.map(String.init) ?? ""
        let region = scope.count > 2 && !scope[2].isEmpty ? String(scope[2]) : "us-east-1"
        let account = credentials.credentials[accessKey]?.accountId ?? "000000000000"
        return CallerIdentity(accessKeyId: accessKey, accountId: account, region: region)
    }

    private func header(_ lowercaseName: StaticString, in request: SignedRequest) -> String? {
        headerRange(lowercaseName, in: request).map { text($0, in: request) }
    }

    /// Where the value of the first header with this (lowercase) name lies in the request's header bytes.
    private func headerRange(_ lowercaseName: StaticString, in request: SignedRequest) -> Range<Int>? {
        let wanted = UnsafeBufferPointer(start: lowercaseName.utf8Start, count: lowercaseName.utf8CodeUnitCount)
        return request.headerBytes.withUnsafeBufferPointer { bytes in
            request.headerFields.first {
                CanonicalRequest.nameMatches(UnsafeBufferPointer(rebasing: bytes[$0.name]), lowercase: wanted)
            }?.value
        }
    }

    private func text(_ range: Range<Int>, in request: SignedRequest) -> String {
        request.headerBytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self)
        }
    }

    /// Compares signatures without leaking where they differ.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}

/// A credential and signed-header list that passed every check but the signature: the signed header names, the
/// scope that is signed, the signing key, and the caller they name. A class: requests share one, not copies of it.
private final class ResolvedCredential: Sendable {
    /// The parts the credential came from, as a header with this text before its signature parses to.
    let parts: SignatureParts
    /// The Authorization header's text up to its signature (empty when there is none to remember).
    let authorizationHead: [UInt8]
    let signedHeaders: [String]
    let scope: [UInt8]
    let scopeDate: String
    let signingKey: [UInt8]
    let caller: CallerIdentity

    init(parts: SignatureParts, authorizationHead: [UInt8], signedHeaders: [String], scope: [UInt8],
         scopeDate: String, signingKey: [UInt8], caller: CallerIdentity) {
        self.parts = parts
        self.authorizationHead = authorizationHead
        self.signedHeaders = signedHeaders
        self.scope = scope
        self.scopeDate = scopeDate
        self.signingKey = signingKey
        self.caller = caller
    }
}
