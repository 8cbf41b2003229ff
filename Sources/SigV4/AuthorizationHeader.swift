/// The parts of a SigV4 signature, from an `Authorization` header or from presigned query parameters.
struct SignatureParts {
    var algorithm: String
    var credential: String?
    var signedHeaders: String?
    var signature: String?
    /// `X-Amz-Expires` for presigned URLs.
    var expiresSeconds: Double?
    var isPresigned: Bool

    /// Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
    static func parse(authorization: String) -> SignatureParts {
        let trimmed = authorization.drop { $0 == " " }
        let algorithmEnd = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
        let algorithm = String(trimmed[..<algorithmEnd])
        var parts = SignatureParts(algorithm: algorithm, isPresigned: false)
        for field in trimmed[algorithmEnd...].split(separator: ",") {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = pair[0].trimmingCharacters()
            let value = pair[1].trimmingCharacters()
            switch name {
            case "Credential": parts.credential = value
            case "SignedHeaders": parts.signedHeaders = value
            case "Signature": parts.signature = value
            default: break
            }
        }
        return parts
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

extension Substring {
    func trimmingCharacters() -> String {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
