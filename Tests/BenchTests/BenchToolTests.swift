import Testing
@testable import swiftdynamo_bench

@Suite("Benchmark tool")
struct BenchToolTests {
    @Test("Percentiles from the HDR histogram are within its three significant digits")
    func percentiles() {
        var statistics = LatencyStatistics()
        for value in 1...1000 { statistics.record(UInt64(value) * 1000) }
        let summary = statistics.summary()
        func close(_ measured: Double, _ exact: Double) -> Bool { abs(measured - exact) <= exact * 0.001 }
        #expect(close(summary.p50, 500))
        #expect(close(summary.p90, 900))
        #expect(close(summary.p99, 990))
        #expect(close(summary.p999, 999))
        #expect(close(summary.max, 1000))
        #expect(statistics.count == 1000)
    }

    @Test("Merging two connections' statistics adds their counts and errors")
    func merging() {
        var first = LatencyStatistics()
        var second = LatencyStatistics()
        for value in 1...100 { first.record(UInt64(value) * 1000) }
        for value in 101...200 { second.record(UInt64(value) * 1000) }
        first.errors = 1
        second.errors = 2
        first.merge(second)
        #expect(first.count == 200)
        #expect(first.errors == 3)
        #expect(abs(first.summary().p50 - 100) <= 0.1)
    }

    @Test("Workload mixes match YCSB's proportions", arguments: [(Workload.a, 0.5), (.b, 0.95), (.c, 1.0)])
    func mixes(_ workload: Workload, _ readShare: Double) {
        var random = BenchRandom(state: 1)
        var reads = 0
        let draws = 100_000
        for _ in 0..<draws {
            if case .get = workload.operation(random.unit()) { reads += 1 }
        }
        #expect(abs(Double(reads) / Double(draws) - readShare) < 0.01)
    }

    @Test("Zipfian draws favour low ranks the way a 0.99 zipfian does")
    func zipfianShape() {
        let zipfian = Zipfian(items: 1000, scatter: false)
        var random = BenchRandom(state: 7)
        var counts = [Int](repeating: 0, count: 1000)
        for _ in 0..<200_000 { counts[zipfian.rank(&random)] += 1 }
        #expect(counts[0] > counts[1] && counts[1] > counts[10] && counts[10] > counts[500])
        // Rank 0 carries 1/zeta(1000, 0.99) ≈ 13% of the mass.
        #expect(abs(Double(counts[0]) / 200_000 - 1 / zipfian.zetan) < 0.01)
        var scattered = BenchRandom(state: 7)
        let hashed = Zipfian(items: 1000)
        #expect((0..<1000).allSatisfy { _ in (0..<1000).contains(hashed.next(&scattered)) })
    }

    @Test("Request bodies are valid DynamoDB JSON with numbers as strings")
    func bodies() {
        let body = String(decoding: RequestBodies.get(table: "t", index: 123), as: UTF8.self)
        #expect(body == #"{"TableName":"t","Key":{"pk":{"S":"user12"},"sk":{"N":"3"}}}"#)
    }
}

@Suite("Benchmark client: responses read as bytes")
struct BenchClientParsingTests {
    static func head(_ text: String) -> ArraySlice<UInt8> { Array(text.utf8)[...] }

    @Test("The status and Content-Length come from the head, header names matched in any case")
    func statusAndLength() {
        let parsed = BenchClient.parseHead(Self.head("HTTP/1.1 400 Bad Request\r\nx-amzn-RequestId: x\r\nCONTENT-length:  128\r\nContent-Type: a"))
        #expect(parsed?.status == 400)
        #expect(parsed?.contentLength == 128)
        #expect(parsed?.closing == false)
    }

    @Test("Connection: close is noticed; a head without a status line is refused")
    func closingAndMalformed() {
        #expect(BenchClient.parseHead(Self.head("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0"))?.closing == true)
        #expect(BenchClient.parseHead(Self.head("garbage")) == nil)
        #expect(BenchClient.parseHead(Self.head("HTTP/1.1 2x0 OK\r\n")) == nil)
    }

    @Test("Answers are checked for their marker by byte search")
    func markerSearch() {
        let body = Array(#"{"Item":{"pk":{"S":"k"}}}"#.utf8)
        #expect(BenchClient.contains(Array(#""Item""#.utf8), in: body))
        #expect(!BenchClient.contains(Array(#""Count""#.utf8), in: body))
        #expect(BenchClient.contains([], in: body))
        #expect(!BenchClient.contains(Array("longer than the body itself, surely".utf8), in: Array("short".utf8)))
    }
}
