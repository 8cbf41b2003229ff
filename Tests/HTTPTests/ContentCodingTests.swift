import Testing
@testable import HTTP

/// Request bodies with `Content-Encoding`: what decodes, and which broken stream is refused for which reason.
@Suite("Request content codings")
struct ContentCodingTests {
    static let json = Array(#"{"TableName":"t","Item":{"p":{"S":"x"}}}"#.utf8)

    static func gzip(_ bytes: [UInt8]) -> [UInt8] { ZlibCodec.encode(bytes, coding: .gzip)! }
    static func deflate(_ bytes: [UInt8]) -> [UInt8] { ZlibCodec.encode(bytes, coding: .deflate)! }

    /// A POST with these `Content-Encoding` fields (one field per element) and this body, through the parser.
    static func request(encodings: [String], body: [UInt8]) -> HTTPRequest {
        var parser = HTTPRequestParser(maximumHeaderBytes: 4096, maximumBodyBytes: 1 << 20)
        let head = "POST / HTTP/1.1\r\nHost: x\r\n" + encodings.map { "Content-Encoding: \($0)\r\n" }.joined()
            + "Content-Length: \(body.count)\r\n\r\n"
        guard case .request(let parsed)? = parser.feed(Array(head.utf8) + body).first else {
            preconditionFailure("the test request does not parse")
        }
        return parsed.request
    }

    static func decode(_ encodings: [String], _ body: [UInt8], limit: Int = 1 << 20)
        -> Result<[UInt8], ContentCodingError> {
        Result { () throws(ContentCodingError) in
            try request(encodings: encodings, body: body).decodedBody(maximumBytes: limit)
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let encodings: [String]
        let body: [UInt8]
        let expected: Result<[UInt8], ContentCodingError>
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let gzipped = gzip(json)
        let deflated = deflate(json)
        let truncatedGzip = Array(gzipped.dropLast())
        var badChecksum = gzipped
        badChecksum[badChecksum.count - 5] ^= 0xFF  // a byte of the CRC-32 in the member's trailer
        return [
            Case(name: "no Content-Encoding: the body as sent", encodings: [], body: json, expected: .success(json)),
            Case(name: "gzip", encodings: ["gzip"], body: gzipped, expected: .success(json)),
            Case(name: "deflate (the zlib format)", encodings: ["deflate"], body: deflated, expected: .success(json)),
            Case(name: "coding names ignore case", encodings: ["GZip"], body: gzipped, expected: .success(json)),
            Case(name: "identity changes nothing", encodings: ["identity"], body: json, expected: .success(json)),
            Case(name: "two codings in one field are undone last first", encodings: ["deflate, gzip"],
                 body: gzip(deflate(json)), expected: .success(json)),
            Case(name: "gzip twice", encodings: ["gzip, gzip"], body: gzip(gzipped), expected: .success(json)),
            Case(name: "several fields join in order", encodings: ["gzip", "deflate"], body: deflate(gzipped),
                 expected: .success(json)),
            Case(name: "empty list elements are skipped", encodings: [" , gzip ,"], body: gzipped,
                 expected: .success(json)),
            Case(name: "concatenated gzip members are one body", encodings: ["gzip"],
                 body: gzip(Array(json[..<10])) + gzip(Array(json[10...])), expected: .success(json)),
            Case(name: "bytes after a gzip member that do not start another are ignored", encodings: ["gzip"],
                 body: gzipped + Array("junk".utf8), expected: .success(json)),
            Case(name: "an unknown coding", encodings: ["garbage"], body: json, expected: .failure(.unsupported)),
            Case(name: "x-gzip is not gzip", encodings: ["x-gzip"], body: gzipped, expected: .failure(.unsupported)),
            Case(name: "one unknown coding among known ones", encodings: ["gzip, br"], body: gzipped,
                 expected: .failure(.unsupported)),
            Case(name: "an empty body is not gzip", encodings: ["gzip"], body: [], expected: .failure(.malformed)),
            Case(name: "an empty body is not deflate", encodings: ["deflate"], body: [],
                 expected: .failure(.malformed)),
            Case(name: "a body that is not gzip", encodings: ["gzip"], body: json, expected: .failure(.malformed)),
            Case(name: "a body that is not deflate", encodings: ["deflate"], body: json,
                 expected: .failure(.malformed)),
            Case(name: "gzip labelled deflate", encodings: ["deflate"], body: gzipped, expected: .failure(.malformed)),
            Case(name: "a gzip stream missing its last byte", encodings: ["gzip"], body: truncatedGzip,
                 expected: .failure(.malformed)),
            Case(name: "a deflate stream cut in half", encodings: ["deflate"],
                 body: Array(deflated[..<(deflated.count / 2)]),
                 expected: .failure(.malformed)),
            Case(name: "a gzip member whose CRC-32 does not match", encodings: ["gzip"], body: badChecksum,
                 expected: .failure(.malformed)),
            Case(name: "a second member that is cut short", encodings: ["gzip"], body: gzipped + Array(truncatedGzip),
                 expected: .failure(.malformed)),
            Case(name: "two concatenated zlib streams are not one deflate body", encodings: ["deflate"],
                 body: deflate(Array(json[..<10])) + deflate(Array(json[10...])), expected: .failure(.malformed)),
        ]
    }()

    @Test("Decoding a request body", arguments: cases)
    func decoding(_ testCase: Case) {
        #expect(Self.decode(testCase.encodings, testCase.body) == testCase.expected)
    }

    @Test("The request-size limit applies to the decoded body: at the limit it decodes, one byte over it does not")
    func decodedSizeLimit() {
        let large = [UInt8](repeating: UInt8(ascii: " "), count: 100_000)
        let gzipped = Self.gzip(large)
        #expect(gzipped.count < 1_000)
        #expect(Self.decode(["gzip"], gzipped, limit: 100_000) == .success(large))
        #expect(Self.decode(["gzip"], gzipped, limit: 99_999) == .failure(.tooLarge))
        #expect(Self.decode(["gzip, gzip"], Self.gzip(gzipped), limit: 99_999) == .failure(.tooLarge))
    }

    @Test("Bodies that expand far beyond the first output buffer decode whole")
    func largeExpansion() {
        var bytes: [UInt8] = []
        var state: UInt32 = 12_345
        for _ in 0..<300_000 {
            state = state &* 1_103_515_245 &+ 12_345
            bytes.append(UInt8(ascii: "A") + UInt8((state >> 16) % 26))
        }
        for coding in ContentCoding.allCases {
            let coded = ZlibCodec.encode(bytes, coding: coding)!
            #expect(Self.decode([coding.name], coded, limit: 1 << 20) == .success(bytes))
        }
    }

    @Test("A request without Content-Encoding has no codings")
    func noCodings() throws {
        #expect(try Self.request(encodings: [], body: Self.json).contentCodings() == [])
        let listed = Self.request(encodings: ["gzip", "identity, deflate"], body: [])
        #expect(try listed.contentCodings() == [.gzip, .deflate])
    }
}
