import Testing
@testable import SigV4

/// Cases from AWS's published SigV4 test suite (access key AKIDEXAMPLE, date 20150830T123600Z, region us-east-1,
/// service "service"), written out here as our own test data; each expected signature was also cross-checked with
/// botocore's signer.
@Suite("SigV4 against AWS's published test cases")
struct SigV4VectorTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let date = "20150830T123600Z"
    static let scope = "20150830/us-east-1/service/aws4_request"

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var method: String
        var path: String
        var query: String
        var headers: [(name: String, value: String)]
        var canonicalRequest: String
        var signature: String
        var description: String { name }
    }

    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static let cases: [Case] = [
        Case(name: "get-vanilla", method: "GET", path: "/", query: "",
             headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", date)],
             canonicalRequest: "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + emptyHash,
             signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Case(name: "get-vanilla-query-order-key-case", method: "GET", path: "/", query: "Param2=value2&Param1=value1",
             headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", date)],
             canonicalRequest: "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + emptyHash,
             signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Case(name: "header-value-trim", method: "POST", path: "/", query: "",
             headers: [("Host", "example.amazonaws.com"), ("My-Header1", "  value1   with  spaces  "), ("X-Amz-Date", date)],
             canonicalRequest: "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1 with spaces\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n" + emptyHash,
             signature: "968c2f1b612a34eed0b01587dd6cc4c5b8f62305bca4587d332e93566b5e200e"),
    ]

    @Test("Canonical request, string to sign and signature match", arguments: cases)
    func vector(_ testCase: Case) {
        let signed = testCase.headers.map { CanonicalRequest.lowercased($0.name) }.sorted()
        let canonical = CanonicalRequest.build(method: testCase.method, path: testCase.path, query: testCase.query,
                                               headers: testCase.headers, signedHeaders: signed,
                                               payloadHash: Self.emptyHash)
        #expect(canonical == testCase.canonicalRequest)
        let stringToSign = CanonicalRequest.stringToSign(amzDate: Self.date, scope: Self.scope,
                                                         canonicalRequest: testCase.canonicalRequest)
        let key = SigningKeyCache.derive(secret: Self.secret, date: "20150830", region: "us-east-1", service: "service")
        #expect(Crypto.hex(Crypto.hmacSHA256(key: key, data: Array(stringToSign.utf8))) == testCase.signature)
    }

    @Test("get-vanilla's string to sign")
    func stringToSign() {
        let expected = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        #expect(CanonicalRequest.stringToSign(amzDate: Self.date, scope: Self.scope,
                                              canonicalRequest: Self.cases[0].canonicalRequest) == expected)
    }

    @Test("URI encoding keeps unreserved characters and encodes the rest in uppercase hex")
    func uriEncoding() {
        #expect(CanonicalRequest.uriEncode(Array("a-b_c.d~e f/g=ü".utf8), keepSlash: false) == "a-b_c.d~e%20f%2Fg%3D%C3%BC")
        #expect(CanonicalRequest.canonicalURI("/a/./b/../c") == "/a/c")
        #expect(CanonicalRequest.canonicalURI("") == "/")
        #expect(CanonicalRequest.canonicalQuery("b=2&a=1&a=0") == "a=0&a=1&b=2")
    }

    @Test("HMAC-SHA256 matches RFC 4231, for short keys, block-size keys and keys longer than a block")
    func hmacVectors() {
        #expect(Crypto.hex(Crypto.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(Crypto.hex(Crypto.hmacSHA256(key: [UInt8](repeating: 0xAA, count: 131),
                                             data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        // A 64-byte key is used as it is: the same as that key hashed only when longer than a block.
        let blockKey = [UInt8](repeating: 0x0B, count: 64)
        #expect(Crypto.hmacSHA256(key: blockKey, data: []) != Crypto.hmacSHA256(key: Crypto.sha256(blockKey), data: []))
        #expect(Crypto.hmacSHA256(key: [UInt8](repeating: 0x0B, count: 65), data: [])
            == Crypto.hmacSHA256(key: Crypto.sha256([UInt8](repeating: 0x0B, count: 65)), data: []))
    }

    @Test("Header values are trimmed and inner runs of spaces and tabs collapse to one space")
    func canonicalHeaderValues() {
        #expect(CanonicalRequest.canonicalHeaderValue("application/x-amz-json-1.0") == "application/x-amz-json-1.0")
        #expect(CanonicalRequest.canonicalHeaderValue("  a   b\tc  ") == "a b c")
        #expect(CanonicalRequest.canonicalHeaderValue("a\t\tb") == "a b")
        #expect(CanonicalRequest.canonicalHeaderValue("a b ") == "a b")
        #expect(CanonicalRequest.canonicalHeaderValue(" ") == "")
        #expect(CanonicalRequest.canonicalHeaderValue("") == "")
    }

    @Test("SHA-256 and dates")
    func primitives() {
        #expect(Crypto.hex(Crypto.sha256([])) == Self.emptyHash)
        #expect(AmzDate.parse("20150830T123600Z") == 1_440_938_160)
        #expect(AmzDate.format(1_440_938_160) == "20150830T123600Z")
        #expect(AmzDate.parse("2015-08-30") == nil)
        #expect(AmzDate.parseHTTPDate("Sun, 30 Aug 2015 12:36:00 GMT") == 1_440_938_160)
    }
}

@Suite("Lowercase hex")
struct HexTests {
    @Test("Every nibble maps to its lowercase digit, appended after what the buffer held")
    func everyNibble() {
        var output = Array("=".utf8)
        Crypto.appendHex((0...255).map { UInt8($0) }, to: &output)
        let expected = "=" + (0...255).map { String(format2($0)) }.joined()
        #expect(String(decoding: output, as: UTF8.self) == expected)
        #expect(Crypto.hex([0x00, 0x09, 0x0A, 0xFF, 0x5C]) == "00090aff5c")
    }

    private func format2(_ value: Int) -> String {
        let text = String(value, radix: 16)
        return text.count == 1 ? "0" + text : text
    }
}
