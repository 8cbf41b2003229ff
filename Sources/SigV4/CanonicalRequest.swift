/// The pieces of AWS Signature Version 4 that depend only on the request: canonical URI, query string and headers,
/// the canonical request, and the string to sign.
///
/// canonical-request := method LF canonical-uri LF canonical-query LF canonical-headers LF signed-headers LF payload-hash
/// string-to-sign    := "AWS4-HMAC-SHA256" LF amz-date LF scope LF hex(sha256(canonical-request))
package enum CanonicalRequest {
    /// RFC 3986 unreserved characters stay as they are; everything else is %XX (uppercase hex).
    package static func uriEncode(_ bytes: some Sequence<UInt8>, keepSlash: Bool) -> String {
        var output: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                output.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes %XX escapes (and nothing else); invalid escapes are kept literally.
    package static func percentDecode(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }

    /// The canonical URI of a path as sent: dot segments removed, then each segment URI-encoded (which encodes the
    /// already-encoded path a second time, as SigV4 specifies for services other than S3).
    package static func canonicalURI(_ path: String) -> String {
        if path.isEmpty { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        let normalized = "/" + segments.joined(separator: "/")
        return uriEncode(normalized.utf8, keepSlash: true)
    }

    /// The canonical query string: parameters decoded, re-encoded strictly, sorted by name then value.
    /// `excluding` names a parameter to leave out (X-Amz-Signature for presigned URLs).
    package static func canonicalQuery(_ query: String, excluding: String? = nil) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = uriEncode(percentDecode(parts[0]), keepSlash: false)
            if let excluding, name == excluding { continue }
            let value = parts.count > 1 ? uriEncode(percentDecode(parts[1]), keepSlash: false) : ""
            pairs.append((name, value))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Header values as SigV4 canonicalises them: trimmed, inner runs of spaces collapsed.
    package static func canonicalHeaderValue(_ value: String) -> String {
        var output: [UInt8] = []
        var value = value
        value.withUTF8 { appendCanonicalHeaderValue($0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// ASCII lowercase.
    package static func lowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// Whether a header name's bytes equal an already-lowercase name's, ignoring ASCII case.
    static func nameMatches(_ name: UnsafeBufferPointer<UInt8>, lowercase: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count == lowercase.count else { return false }
        for index in 0..<name.count {
            let byte = name[index]
            if (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) != lowercase[index] { return false }
        }
        return true
    }

    /// Header text pairs as one byte buffer and the ranges of each name and value in it (the form requests carry).
    package static func headerBytes(_ headers: [(name: String, value: String)])
        -> (bytes: [UInt8], fields: [SignedRequest.HeaderField]) {
        var bytes: [UInt8] = []
        var fields: [SignedRequest.HeaderField] = []
        fields.reserveCapacity(headers.count)
        for header in headers {
            let nameStart = bytes.count
            bytes.append(contentsOf: header.name.utf8)
            let valueStart = bytes.count
            bytes.append(contentsOf: header.value.utf8)
            fields.append((nameStart..<valueStart, valueStart..<bytes.count))
        }
        return (bytes, fields)
    }

    /// Appends `name:value[,value…]\n` per signed header; false when a signed header is missing.
    static func appendCanonicalHeaders(_ bytes: [UInt8], _ fields: [SignedRequest.HeaderField], signed: [String],
                                       to output: inout [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            for var name in signed {
                let found = name.withUTF8 { wanted in
                    output.append(contentsOf: wanted)
                    output.append(UInt8(ascii: ":"))
                    var found = false
                    for field in fields where nameMatches(UnsafeBufferPointer(rebasing: buffer[field.name]), lowercase: wanted) {
                        if found { output.append(UInt8(ascii: ",")) }
                        found = true
                        appendCanonicalHeaderValue(UnsafeBufferPointer(rebasing: buffer[field.value]), to: &output)
                    }
                    return found
                }
                guard found else { return false }
                output.append(0x0A)
            }
            return true
        }
    }

    /// Appends a header value's bytes trimmed, with inner runs of spaces and tabs collapsed to one space.
    static func appendCanonicalHeaderValue(_ value: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        if isCanonical(value) {
            output.append(contentsOf: value)
            return
        }
        var pendingSpace = false
        var wroteAny = false
        for byte in value {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = wroteAny
            } else {
                if pendingSpace { output.append(0x20) }
                pendingSpace = false
                wroteAny = true
                output.append(byte)
            }
        }
    }

    /// Whether a value is already canonical (no leading, trailing or doubled spaces, no tabs): the usual case, which
    /// is then copied in one piece.
    private static func isCanonical(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousWasSpace = true
        for byte in value {
            if byte == 0x09 || (byte == 0x20 && previousWasSpace) { return false }
            previousWasSpace = byte == 0x20
        }
        return !previousWasSpace || value.isEmpty
    }

    /// The whole canonical request.
    package static func build(method: String, path: String, query: String, headers: [(name: String, value: String)],
                              signedHeaders: [String], payloadHash: String, excludingQuery: String? = nil) -> String? {
        buildBytes(method: method, path: path, query: query, headers: headers, signedHeaders: signedHeaders,
                   payloadHash: payloadHash.utf8, excludingQuery: excludingQuery).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The whole canonical request as UTF-8 bytes, for headers given as text.
    package static func buildBytes(method: String, path: String, query: String,
                                   headers: [(name: String, value: String)], signedHeaders: [String],
                                   payloadHash: some Collection<UInt8>, excludingQuery: String? = nil) -> [UInt8]? {
        let (bytes, fields) = headerBytes(headers)
        return buildBytes(method: method, path: path, query: query, headerBytes: bytes, headerFields: fields,
                          signedHeaders: signedHeaders, payloadHash: payloadHash, excludingQuery: excludingQuery)
    }

    /// The whole canonical request as UTF-8 bytes (what is hashed), built without intermediate strings.
    package static func buildBytes(method: String, path: String, query: String,
                                   headerBytes: [UInt8], headerFields: [SignedRequest.HeaderField],
                                   signedHeaders: [String], payloadHash: some Collection<UInt8>,
                                   excludingQuery: String? = nil) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        output.append(contentsOf: method.utf8)
        output.append(0x0A)
        // DynamoDB requests go to "/" with no query: skip the general encoders for that case.
        if path == "/" { output.append(UInt8(ascii: "/")) } else { output.append(contentsOf: canonicalURI(path).utf8) }
        output.append(0x0A)
        if !query.isEmpty { output.append(contentsOf: canonicalQuery(query, excluding: excludingQuery).utf8) }
        output.append(0x0A)
        guard appendCanonicalHeaders(headerBytes, headerFields, signed: signedHeaders, to: &output) else { return nil }
        output.append(0x0A)
        for (position, name) in signedHeaders.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ";")) }
            output.append(contentsOf: name.utf8)
        }
        output.append(0x0A)
        output.append(contentsOf: payloadHash)
        return output
    }

    /// The string to sign for a canonical request.
    package static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        String(decoding: stringToSignBytes(amzDate: amzDate, scope: scope.utf8, canonicalRequest: Array(canonicalRequest.utf8)),
               as: UTF8.self)
    }

    /// The string to sign as UTF-8 bytes.
    package static func stringToSignBytes(amzDate: String, scope: some Collection<UInt8>,
                                          canonicalRequest: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(160)
        output.append(contentsOf: "AWS4-HMAC-SHA256\n".utf8)
        output.append(contentsOf: amzDate.utf8)
        output.append(0x0A)
        output.append(contentsOf: scope)
        output.append(0x0A)
        Crypto.appendHex(Crypto.sha256(canonicalRequest), to: &output)
        return output
    }
}
