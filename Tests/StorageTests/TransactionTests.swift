import TestSupport
import DynamoModel
import Testing
@testable import Storage

@Suite("Transactions in storage")
struct TransactionTests {
    static func accounts(_ count: Int, sink: RecordingSink? = nil) throws -> Table {
        let table = TableTests.makeTable(sortKey: nil, sink: sink, shards: 8)
        for index in 0..<count {
            let item: Item = ["pk": .s("a\(index)"), "v": .n(DynamoNumber(100))]
            table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
        }
        return table
    }

    static func balance(_ item: Item?) -> Int {
        if case .n(let number)? = item?["v"] { return Int(number.canonicalText) ?? 0 }
        return 0
    }

    static func transfer(_ table: Table, from: Int, to: Int, amount: Int) -> TransactionOutcome {
        func key(_ index: Int) -> EncodedKey { EncodedKey(partition: Array("a\(index)".utf8), sort: []) }
        return Transactions.write([
            TransactionWrite(table: table, key: key(from)) { current in
                let balance = balance(current)
                guard balance >= amount else { return .failure(DynamoError.conditionalCheckFailed) }
                return .success(.put(["pk": .s("a\(from)"), "v": .n(DynamoNumber(balance - amount))]))
            },
            TransactionWrite(table: table, key: key(to)) { current in
                .success(.put(["pk": .s("a\(to)"), "v": .n(DynamoNumber(balance(current) + amount))]))
            },
        ])
    }

    @Test("A cancelled transaction changes nothing and reports each write's reason")
    func cancellation() throws {
        let sink = RecordingSink()
        let table = try Self.accounts(2, sink: sink)
        let before = sink.records.withLock { $0.count }
        guard case .cancelled(let reasons) = Self.transfer(table, from: 0, to: 1, amount: 500) else {
            Issue.record("should have been cancelled")
            return
        }
        #expect(reasons.map { $0 != nil } == [true, false])
        #expect(sink.records.withLock { $0.count } == before)
        #expect(Self.balance(table.getItem(EncodedKey(partition: Array("a1".utf8), sort: []))) == 100)
    }

    @Test("Concurrent transfers keep the total; consistent reads and scans never see half of one")
    func concurrentTransfers() async throws {
        let table = try Self.accounts(50)
        let keys = (0..<50).map { EncodedKey(partition: Array("a\($0)".utf8), sort: []) }
        await withTaskGroup(of: Int.self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var generator = SeededGenerator(state: UInt64(worker))
                    for _ in 0..<300 {
                        let from = Int.random(in: 0..<50, using: &generator)
                        let to = (from + Int.random(in: 1..<50, using: &generator)) % 50
                        _ = Self.transfer(table, from: from, to: to, amount: Int.random(in: 1...40, using: &generator))
                    }
                    return 0
                }
            }
            group.addTask {
                var wrong = 0
                for _ in 0..<200 {
                    let total = Transactions.read(keys.map { (table, $0) }).reduce(0) { $0 + Self.balance($1) }
                    var scanned = 0
                    table.scan { _, item in scanned += Self.balance(item); return true }
                    if total != 5000 || scanned != 5000 { wrong += 1 }
                }
                return wrong
            }
            var wrongReads = 0
            for await result in group { wrongReads += result }
            #expect(wrongReads == 0)
        }
        #expect(Transactions.read(keys.map { (table, $0) }).reduce(0) { $0 + Self.balance($1) } == 5000)
    }

    @Test("A committed transaction reaches the sink as one group, in order")
    func groupedRecords() throws {
        let sink = RecordingSink()
        let table = try Self.accounts(2, sink: sink)
        guard case .committed = Self.transfer(table, from: 0, to: 1, amount: 10) else {
            Issue.record("should have committed")
            return
        }
        let records = sink.records.withLock { Array($0.suffix(2)) }
        #expect(records.map(\.sequenceNumber) == [3, 4])
        #expect(Self.balance(records[0].newImage) == 90 && Self.balance(records[1].newImage) == 110)
    }
}
