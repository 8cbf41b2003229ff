import Testing
@testable import HTTP

@Suite("HTTP header fields")
struct HTTPHeaderFieldsTests {
    @Test("Fields made from text keep names, values and order, and read back as the same text")
    func fromText() {
        let pairs = [("Host", "localhost"), ("X-Amz-Date", "20261203T000000Z"), ("host", "second")]
        let fields = HTTPHeaderFields(pairs)
        #expect(fields.pairs.map(\.name) == pairs.map(\.0))
        #expect(fields.pairs.map(\.value) == pairs.map(\.1))
        #expect(fields.fields.count == 3)
    }

    @Test("Looking a field up ignores ASCII case and finds the first of several")
    func lookUpIgnoresCase() {
        let fields = HTTPHeaderFields([("Content-Type", "a/b"), ("HOST", "one"), ("host", "two")])
        #expect(fields.value(named: "host") == "one")
        #expect(fields.value(named: "content-TYPE") == "a/b")
        #expect(fields.index(named: "Host") == 1)
        #expect(fields.value(named: "hos") == nil)
        #expect(fields.value(named: "x-amz-target") == nil)
    }

    @Test("A parsed request's fields point into its header block: names as sent, values trimmed")
    func parsedRanges() {
        var parser = HTTPRequestParser(maximumHeaderBytes: 1024, maximumBodyBytes: 1024)
        let events = parser.feed(Array("GET / HTTP/1.1\r\nHost:   spaced  \r\nX-Empty:\r\n\r\n".utf8))
        guard case .request(let parsed)? = events.first else {
            Issue.record("no request")
            return
        }
        let fields = parsed.request.headerFields
        #expect(fields.fields.count == 2)
        #expect(fields.text(in: fields.fields[0].name) == "Host")
        #expect(fields.text(in: fields.fields[0].value) == "spaced")
        #expect(fields.text(in: fields.fields[1].name) == "X-Empty")
        #expect(fields.fields[1].value.isEmpty)
    }

    @Test("Setting a request's headers as text replaces its fields")
    func settingHeaders() {
        var request = HTTPRequest(method: "POST", target: "/", headers: [("A", "1")], body: [])
        request.headers.append(("B", "2"))
        #expect(request.header("b") == "2")
        #expect(request.header("a") == "1")
    }
}
