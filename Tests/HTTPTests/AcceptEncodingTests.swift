import Testing
@testable import HTTP

/// Which coding an `Accept-Encoding` asks for. The expectations are DynamoDB's answers (see AcceptEncoding.swift).
@Suite("Accept-Encoding negotiation")
struct AcceptEncodingTests {
    static let cases: [(value: String, expected: ContentCoding?)] = [
        // Nothing to compress with.
        ("", nil), ("identity", nil), ("br", nil), ("zstd", nil), ("compress", nil), ("x-gzip", nil),
        // Plain lists: the first acceptable coding listed.
        ("gzip", .gzip), ("deflate", .deflate), ("gzip, deflate", .gzip), ("br, identity, deflate, gzip", .deflate),
        ("GZIP, identity", .gzip), ("dog, gzip ,, cat", .gzip),
        // Weights.
        ("gzip;q=0.8, deflate;q=0.5", .gzip), ("gzip;q=0.5, deflate;q=0.8", .deflate),
        ("br, gzip;q=0, deflate; q = 0.5 , identity;q=0", .deflate), ("gzip ;q=0", nil), ("identity;q=0", nil),
        ("gzip;q=0.5,identity;q=0.8", .gzip), ("br,identity;q=0.5,gzip;q=0.0001", .gzip),
        ("gzip;q=0, gzip;q=1, gzip;q=0", .gzip),
        // The wildcard stands for the codings not listed by name; gzip first among them.
        ("*", .gzip), ("*, deflate;q=0.5", .gzip), ("*, deflate", .deflate), ("*, identity", .gzip),
        ("*, gzip;q=0.5", .deflate), ("*;q=0", nil), ("*;q=0.5,identity", .gzip),
        ("br;q=0.8,identity;q=0.5,*;q=0", nil),
        // Malformed values, answered as DynamoDB answers them.
        ("\"gzip\"", nil), ("gzip br", nil), ("gzip:q=1", nil),
        ("deflate;q=0.5, gzip;q=31", .gzip), ("gzip;q=31,deflate;q=51", .gzip),
        ("deflate;q=0.5, gzip;q=0.2", .deflate), ("deflate;q=0.5, gzip;q=1;q=0.2", .gzip),
        ("deflate;q=0.5,gzip;q=0.", .deflate), ("deflate;q=0.5,gzip;q=0.x", .gzip),
        ("deflate;q=0.5,gzip;q=0. x", .gzip),
        ("deflate;q=-0.5,gzip;q=0.2", .gzip), ("gzip;q= 0;q=1", nil), ("gzip;q =0;q=1", .gzip), ("gzip; q=0;q=1", nil),
        ("gzip;nq=0;q=1", nil), ("  gzip,  deflate,    br  ", .gzip),
    ]

    @Test("One Accept-Encoding field", arguments: cases)
    func oneField(_ testCase: (value: String, expected: ContentCoding?)) {
        #expect(AcceptEncoding.preferredCoding(values: [testCase.value]) == testCase.expected)
    }

    @Test("No Accept-Encoding field: nothing is compressed")
    func noField() {
        #expect(AcceptEncoding.preferredCoding(values: []) == nil)
    }

    @Test("Several Accept-Encoding fields join into one list, in order")
    func severalFields() {
        #expect(AcceptEncoding.preferredCoding(values: ["gzip", "identity"]) == .gzip)
        #expect(AcceptEncoding.preferredCoding(values: ["identity", "gzip"]) == .gzip)
        #expect(AcceptEncoding.preferredCoding(values: ["deflate", "gzip"]) == .deflate)
        #expect(AcceptEncoding.preferredCoding(values: ["gzip;q=0", "deflate;q=0.1"]) == .deflate)
    }
}

/// Large answers are compressed for clients that ask; small ones never are.
@Suite("Response compression")
struct ResponseCompressionTests {
    static func request(_ acceptEncoding: String?) -> HTTPRequest {
        var parser = HTTPRequestParser(maximumHeaderBytes: 4096, maximumBodyBytes: 0)
        let head = "POST / HTTP/1.1\r\n" + (acceptEncoding.map { "Accept-Encoding: \($0)\r\n" } ?? "") + "\r\n"
        guard case .request(let parsed)? = parser.feed(Array(head.utf8)).first else { preconditionFailure() }
        return parsed.request
    }

    @Test("A body over the threshold is coded and labelled; the coded bytes decode to the body")
    func compressesLargeBodies() throws {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 4097)
        for coding in ContentCoding.allCases {
            var response = HTTPResponse(status: 200, headers: [("Content-Type", "application/x-amz-json-1.0")],
                                        body: body)
            ResponseCompression(thresholdBytes: 4096).apply(to: &response, for: Self.request(coding.name))
            #expect(response.headers.last?.name == "Content-Encoding")
            #expect(response.headers.last?.value == coding.name)
            #expect(response.body.count < 100)
            #expect(try ZlibCodec.decode(response.body, coding: coding, maximumBytes: 1 << 20) == body)
        }
    }

    @Test("A body at the threshold, or a client that does not accept a coding, gets the body as it is",
          arguments: [(4096, "gzip"), (4097, nil), (4097, "identity"), (100_000, "br"), (100_000, "gzip;q=0")]
            as [(Int, String?)])
    func leavesOthersAlone(_ size: Int, _ acceptEncoding: String?) {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        var response = HTTPResponse(status: 200, headers: [], body: body)
        ResponseCompression(thresholdBytes: 4096).apply(to: &response, for: Self.request(acceptEncoding))
        #expect(response.body == body)
        #expect(response.headers.isEmpty)
    }
}
