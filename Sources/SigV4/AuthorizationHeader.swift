/// The parts of a SigV4 signature, from an `Authorization` header or from presigned query parameters.
struct SignatureParts {
    var algorithm: String
    var credential: String?
    var signedHeaders: String?
    var signature: String?
    /// `X-Amz-Expires` for presigned URLs.
    var expiresSeconds: Double?
    var isPresigned: Bool

    /// Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` (byte-wise: this runs on every request).
    static func parse(authorization: String) -> SignatureParts {
        var authorization = authorization
        return authorization.withUTF8 { parse(bytes: $0) }
    }

    /// Parses the header's bytes.
    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> SignatureParts {
        var index = 0
        while index < bytes.count && bytes[index] == 0x20 { index += 1 }
        let algorithmStart = index
        while index < bytes.count && bytes[index] != 0x20 { index += 1 }
        var parts = SignatureParts(algorithm: String(decoding: bytes[algorithmStart..<index], as: UTF8.self),
                                   isPresigned: false)
        while index < bytes.count {
            var fieldEnd = index
            while fieldEnd < bytes.count && bytes[fieldEnd] != UInt8(ascii: ",") { fieldEnd += 1 }
            let field = bytes[index..<fieldEnd]
            index = fieldEnd + 1
            guard let equals = field.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = trimmed(field[field.startIndex..<equals])
            let value = trimmed(field[(equals + 1)...])
            guard !name.isEmpty, !value.isEmpty else { continue }
            if name.elementsEqual(Self.credentialName) {
                parts.credential = String(decoding: value, as: UTF8.self)
            } else if name.elementsEqual(Self.signedHeadersName) {
                parts.signedHeaders = String(decoding: value, as: UTF8.self)
            } else if name.elementsEqual(Self.signatureName) {
                parts.signature = String(decoding: value, as: UTF8.self)
            }
        }
        return parts
    }

    private static let credentialName: [UInt8] = Array("Credential".utf8)
    private static let signedHeadersName: [UInt8] = Array("SignedHeaders".utf8)
    private static let signatureName: [UInt8] = Array("Signature".utf8)

    private static func trimmed(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var start = slice.startIndex
        var end = slice.endIndex
        while start < end && (slice[start] == 0x20 || slice[start] == 0x09) { start += 1 }
        while end > start && (slice[end - 1] == 0x20 || slice[end - 1] == 0x09) { end -= 1 }
        return slice[start..<end]
    }

    /// Parses presigned query parameters; nil when the query has no `X-Amz-Algorithm`.
    static func parse(query: String) -> (parts: SignatureParts, amzDate: String?, securityToken: String?)? {
        var values: [String: String] = [:]
        for parameter in query.split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(decoding: CanonicalRequest.percentDecode(pair[0]), as: UTF8.self)
            let value = pair.count > 1 ? String(decoding: CanonicalRequest.percentDecode(pair[1]), as: UTF8.self) : ""
            values[name] = value
        }
        guard let algorithm = values["X-Amz-Algorithm"] else { return nil }
        var parts = SignatureParts(algorithm: algorithm, isPresigned: true)
        parts.credential = values["X-Amz-Credential"]
        parts.signedHeaders = values["X-Amz-SignedHeaders"]
        parts.signature = values["X-Amz-Signature"]
        parts.expiresSeconds = values["X-Amz-Expires"].flatMap(Double.init)
        return (parts, values["X-Amz-Date"], values["X-Amz-Security-Token"])
    }
}
