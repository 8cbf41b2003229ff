import Testing
@testable import HTTP

@Suite("HTTP header fields")
struct HTTPHeaderFieldsTests {
    /// The request parsed from a head with these header lines.
    static func request(_ lines: [String]) -> HTTPRequest? {
        var parser = HTTPRequestParser(maximumHeaderBytes: 1024, maximumBodyBytes: 1024)
        let head = "GET / HTTP/1.1\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n"
        guard case .request(let parsed)? = parser.feed(Array(head.utf8)).first else { return nil }
        return parsed.request
    }

    @Test("Fields keep names, values and order, and read back as the same text")
    func readBackAsText() {
        let pairs = [("Host", "localhost"), ("X-Amz-Date", "20261203T000000Z"), ("host", "second")]
        let fields = Self.request(pairs.map { "\($0.0): \($0.1)" })?.headerFields
        #expect(fields?.pairs.map(\.name) == pairs.map(\.0))
        #expect(fields?.pairs.map(\.value) == pairs.map(\.1))
        #expect(fields?.fields.count == 3)
    }

    @Test("Looking a field up ignores ASCII case and finds the first of several")
    func lookUpIgnoresCase() {
        let fields = Self.request(["Content-Type: a/b", "HOST: one", "host: two"])?.headerFields
        #expect(fields?.value(named: "host") == "one")
        #expect(fields?.value(named: "content-TYPE") == "a/b")
        #expect(fields?.index(named: "Host") == 1)
        #expect(fields?.value(named: "hos") == nil)
        #expect(fields?.value(named: "x-amz-target") == nil)
    }

    @Test("A parsed request's fields point into its header block: names as sent, values trimmed")
    func parsedRanges() {
        guard let fields = Self.request(["Host:   spaced  ", "X-Empty:"])?.headerFields else {
            Issue.record("no request")
            return
        }
        #expect(fields.fields.count == 2)
        #expect(fields.text(in: fields.fields[0].name) == "Host")
        #expect(fields.text(in: fields.fields[0].value) == "spaced")
        #expect(fields.text(in: fields.fields[1].name) == "X-Empty")
        #expect(fields.fields[1].value.isEmpty)
    }

    @Test("A request's headers read as text through the request")
    func headersThroughTheRequest() {
        let request = Self.request(["A: 1", "B: 2"])
        #expect(request?.header("b") == "2")
        #expect(request?.header("a") == "1")
    }
}
