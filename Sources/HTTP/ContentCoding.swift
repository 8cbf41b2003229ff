/// The content codings SwiftDynamo decodes in requests and applies to responses (RFC 9110 §8.4.1), as DynamoDB does:
/// `gzip` (the gzip file format, RFC 1952) and `deflate` (the zlib format, RFC 1950, holding a deflate stream).
///
/// Content-Encoding := #coding            codings listed in the order they were applied; several fields join
/// coding           := "gzip" | "deflate" | "identity"   (case-insensitive; "identity" changes nothing)
package enum ContentCoding: Sendable, Equatable, CaseIterable {
    case gzip
    case deflate

    /// The name as it travels in `Content-Encoding` and `Accept-Encoding`.
    package var name: String {
        switch self {
        case .gzip: return "gzip"
        case .deflate: return "deflate"
        }
    }
}

/// Why a request body could not be decoded.
package enum ContentCodingError: Error, Equatable {
    /// `Content-Encoding` names a coding other than gzip, deflate and identity.
    case unsupported
    /// The body is not a complete stream of its coding: a wrong header, corrupt data, a checksum mismatch, a
    /// truncated or empty stream.
    case malformed
    /// Decoded, the body would be larger than the request-size limit.
    case tooLarge
}

extension ContentCoding {
    /// The coding a `Content-Encoding` list element names (spaces and tabs around it already trimmed), ignoring
    /// case; nil for `identity`; `.unsupported` for anything else.
    static func named(_ token: UnsafeBufferPointer<UInt8>) throws(ContentCodingError) -> ContentCoding? {
        if ASCII.equalsLowercase(token, "gzip") { return .gzip }
        if ASCII.equalsLowercase(token, "deflate") { return .deflate }
        if ASCII.equalsLowercase(token, "identity") { return nil }
        throw .unsupported
    }
}

extension HTTPRequest {
    /// The content codings applied to the body, in the order they were applied: every `Content-Encoding` field in
    /// arrival order, each a comma-separated list (empty elements skipped). Empty, with no allocation, when the
    /// request has no such field — the common case.
    package func contentCodings() throws(ContentCodingError) -> [ContentCoding] {
        var codings: [ContentCoding] = []
        var failure: ContentCodingError?
        headerFields.forEachListElement(named: "content-encoding") { token in
            guard failure == nil else { return }
            do throws(ContentCodingError) {
                if let coding = try ContentCoding.named(token) { codings.append(coding) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return codings
    }

    /// The body with its content codings undone, last applied first; the body itself when it has none.
    /// - Parameter maximumBytes: the request-size limit, which applies to the decoded body too (a small compressed
    ///   body may expand to gigabytes).
    package func decodedBody(maximumBytes: Int) throws(ContentCodingError) -> [UInt8] {
        let codings = try contentCodings()
        var decoded = body
        for coding in codings.reversed() {
            decoded = try ZlibCodec.decode(decoded, coding: coding, maximumBytes: maximumBytes)
        }
        return decoded
    }
}
