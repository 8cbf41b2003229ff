import Testing
@testable import HTTP

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    static let sample = Array(("POST / HTTP/1.1\r\nHost: localhost:8000\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
        + "Content-Type: application/x-amz-json-1.0\r\nContent-Length: 13\r\n\r\n{\"Limit\": 10}").utf8)

    func parser() -> HTTPRequestParser { HTTPRequestParser(maximumHeaderBytes: 16 * 1024, maximumBodyBytes: 1024) }

    func requests(_ events: [HTTPRequestParser.Event]) -> [HTTPRequestParser.ParsedRequest] {
        events.compactMap { if case .request(let parsed) = $0 { return parsed } else { return nil } }
    }

    @Test("A request parses into method, target, headers and body")
    func parsesOneRequest() {
        var parser = parser()
        let parsed = requests(parser.feed(Self.sample))
        #expect(parsed.count == 1)
        #expect(parsed.first?.request.method == "POST")
        #expect(parsed.first?.request.target == "/")
        #expect(parsed.first?.request.header("x-amz-target") == "DynamoDB_20120810.ListTables")
        #expect(parsed.first?.request.body == Array(#"{"Limit": 10}"#.utf8))
        #expect(parsed.first?.keepAlive == true)
        #expect(!parser.hasPartialRequest)
    }

    @Test("Split at every offset, the request parses the same")
    func everySplit() {
        var whole = parser()
        let expected = requests(whole.feed(Self.sample))
        for split in 0...Self.sample.count {
            var parser = parser()
            var parsed = requests(parser.feed(Self.sample[0..<split]))
            parsed += requests(parser.feed(Self.sample[split...]))
            #expect(parsed == expected, "split at \(split)")
        }
    }

    @Test("Fed byte by byte, the request parses the same")
    func byteByByte() {
        var whole = parser()
        let expected = requests(whole.feed(Self.sample))
        var parser = parser()
        var parsed: [HTTPRequestParser.ParsedRequest] = []
        for byte in Self.sample { parsed += requests(parser.feed([byte])) }
        #expect(parsed == expected)
    }

    @Test("Pipelined requests come out in order")
    func pipelined() {
        var parser = parser()
        let get = Array("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        let parsed = requests(parser.feed(Self.sample + get + Self.sample))
        #expect(parsed.map(\.request.target) == ["/", "/a", "/"])
    }

    @Test("Chunked bodies are de-chunked, with extensions and trailers; split anywhere")
    func chunked() {
        let raw = Array(("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: yes\r\n\r\n").utf8)
        for split in 0...raw.count {
            var parser = parser()
            let parsed = requests(parser.feed(raw[0..<split])) + requests(parser.feed(raw[split...]))
            #expect(parsed.map(\.request.body) == [Array("hello world".utf8)], "split at \(split)")
        }
    }

    @Test("Connection: close and HTTP/1.0 end keep-alive")
    func keepAliveRules() {
        var parser = parser()
        let close = requests(parser.feed(Array("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)))
        #expect(close.first?.keepAlive == false)
        var old = self.parser()
        #expect(requests(old.feed(Array("GET / HTTP/1.0\r\n\r\n".utf8))).first?.keepAlive == false)
        var oldKeepAlive = self.parser()
        let kept = requests(oldKeepAlive.feed(Array("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8)))
        #expect(kept.first?.keepAlive == true)
    }

    @Test("Expect: 100-continue is announced before the body arrives")
    func expectContinue() {
        var parser = parser()
        let head = Array("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8)
        #expect(parser.feed(head) == [.continueExpected])
        #expect(requests(parser.feed(Array("{}".utf8))).count == 1)
    }

    static let malformed: [(String, Int)] = [
        ("NOT HTTP\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n folded: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\nHost: x\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 2048\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n", 413),
    ]

    @Test("Bad input gets the right status and nothing more", arguments: malformed)
    func badInput(_ raw: String, _ status: Int) {
        var parser = parser()
        let events = parser.feed(Array(raw.utf8))
        guard case .failure(let actual, _)? = events.last else {
            Issue.record("no failure for \(raw)")
            return
        }
        #expect(actual == status)
        #expect(parser.feed(Array("GET / HTTP/1.1\r\n\r\n".utf8)).isEmpty)
    }

    @Test("A control character or DEL anywhere in a header value is 400, in short values and long ones",
          arguments: [UInt8(0x01), 0x0B, 0x0D, 0x1F, 0x7F])
    func controlCharacterInValue(_ control: UInt8) {
        let value = Array(String(repeating: "v", count: 40).utf8)
        for position in 0..<value.count {
            var bytes = value
            bytes[position] = control
            var raw = Array("GET / HTTP/1.1\r\nX-Long: ".utf8) + bytes + Array("\r\nHost: x\r\n\r\n".utf8)
            var parser = parser()
            let events = parser.feed(raw)
            #expect(events == [.failure(status: 400, reason: "Bad Request")], "byte \(control) at \(position)")
            raw = Array("GET / HTTP/1.1\r\nHost: x\r\nX-Last: ".utf8) + bytes + Array("\r\n\r\n".utf8)
            parser = self.parser()
            #expect(parser.feed(raw) == [.failure(status: 400, reason: "Bad Request")], "last, at \(position)")
        }
    }

    @Test("Tabs and non-ASCII bytes in values are kept; surrounding spaces and tabs are trimmed")
    func tabsAndNonASCIIInValues() {
        var parser = parser()
        let raw = Array("GET / HTTP/1.1\r\nHost: x\r\nX-Tabbed: \t a\tb  c\t \r\nX-Accented: caf\u{E9} au lait\r\n\r\n".utf8)
        let request = requests(parser.feed(raw)).first?.request
        #expect(request?.header("x-tabbed") == "a\tb  c")
        #expect(request?.header("X-ACCENTED") == "caf\u{E9} au lait")
        #expect(request?.headers.map(\.name) == ["Host", "X-Tabbed", "X-Accented"])
    }

    @Test("A header block over the limit is 400 (as DynamoDB answers, not 431), whether or not it is complete")
    func headerLimit() {
        var parser = HTTPRequestParser(maximumHeaderBytes: 100, maximumBodyBytes: 100)
        let events = parser.feed(Array(("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 200)).utf8))
        #expect(events.last == .failure(status: 400, reason: "Bad Request"))
        var complete = HTTPRequestParser(maximumHeaderBytes: 100, maximumBodyBytes: 100)
        let whole = complete.feed(Array(("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 200) + "\r\n\r\n").utf8))
        #expect(whole == [.failure(status: 400, reason: "Bad Request")])
    }

    @Test("A request line over the limit is 400 too")
    func requestLineLimit() {
        var parser = HTTPRequestParser(maximumHeaderBytes: 100, maximumBodyBytes: 100)
        let events = parser.feed(Array(("POST /" + String(repeating: "x", count: 200) + " HTTP/1.1\r\n\r\n").utf8))
        #expect(events == [.failure(status: 400, reason: "Bad Request")])
    }
}

@Suite("Connection deadlines")
struct ConnectionDeadlineTests {
    @Test("An idle connection expires after the idle timeout")
    func idle() {
        let deadline = ConnectionDeadline(idleTimeoutMilliseconds: 1000, requestTimeoutMilliseconds: 300, nowMilliseconds: 0)
        #expect(!deadline.hasExpired(nowMilliseconds: 999))
        #expect(deadline.hasExpired(nowMilliseconds: 1000))
    }

    @Test("A slow client expires after the request timeout, counted from its first byte")
    func slowClient() {
        var deadline = ConnectionDeadline(idleTimeoutMilliseconds: 1000, requestTimeoutMilliseconds: 300, nowMilliseconds: 0)
        deadline.received(partial: true, nowMilliseconds: 100)
        deadline.received(partial: true, nowMilliseconds: 350)
        #expect(!deadline.hasExpired(nowMilliseconds: 399))
        #expect(deadline.hasExpired(nowMilliseconds: 400))
        deadline.received(partial: false, nowMilliseconds: 390)
        #expect(!deadline.hasExpired(nowMilliseconds: 1389))
        #expect(deadline.hasExpired(nowMilliseconds: 1390))
    }
}
