import DynamoModel
import Synchronization
import Testing
@testable import Storage

/// Records every change record it receives.
final class RecordingSink: ChangeSink {
    let records = Mutex<[ChangeRecord]>([])
    func append(_ record: ChangeRecord) { records.withLock { $0.append(record) } }
}

@Suite("Tables: writes, change records, reads")
struct TableTests {
    static let namespace = Namespace(accountId: "123456789012", region: "us-east-1")

    static func makeTable(sortKey: ScalarAttributeType? = .s, sink: (any ChangeSink)? = nil, shards: Int = 4) -> Table {
        let schema = KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s),
                               sortKey: sortKey.map { KeyAttribute(name: "sk", type: $0) })
        let definition = TableDefinition(name: "t", tableId: "id", arn: "arn", keySchema: schema,
                                         attributeDefinitions: schema.attributeNames.map { KeyAttribute(name: $0, type: .s) },
                                         billingMode: .payPerRequest,
                                         provisionedThroughput: ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0),
                                         creationDateTime: 0)
        return Table(definition: definition, namespace: namespace, shardCount: shards, changeSink: sink, nodeCapacity: 3)
    }

    static func item(_ pk: String, _ sk: String, _ value: Int = 0) -> Item {
        ["pk": .s(pk), "sk": .s(sk), "v": .n(DynamoNumber(value))]
    }

    @Test("Writes put, replace and delete, with one change record per change, in sequence")
    func writesAndChangeRecords() throws {
        let sink = RecordingSink()
        let table = Self.makeTable(sink: sink)
        let key = try #require(table.encodedKey(of: Self.item("a", "1")))
        table.write(key) { _ in .put(Self.item("a", "1", 1)) }
        table.write(key) { _ in .put(Self.item("a", "1", 2)) }
        table.write(key) { _ in .unchanged }
        table.write(key) { _ in .delete }
        table.write(key) { _ in .delete }
        let records = sink.records.withLock { $0 }
        #expect(records.map(\.sequenceNumber) == [1, 2, 3])
        #expect(records[0].oldImage == nil && records[0].newImage == Self.item("a", "1", 1))
        #expect(records[1].oldImage == Self.item("a", "1", 1) && records[1].newImage == Self.item("a", "1", 2))
        #expect(records[2].oldImage == Self.item("a", "1", 2) && records[2].newImage == nil)
        #expect(table.itemCount == 0 && table.sizeInBytes == 0)
    }

    struct Refused: Error {}

    @Test("A write whose closure throws changes nothing")
    func throwingWrite() throws {
        let sink = RecordingSink()
        let table = Self.makeTable(sink: sink)
        let key = try #require(table.encodedKey(of: Self.item("a", "1")))
        #expect(throws: Refused.self) { try table.write(key) { (_: Item?) throws(Refused) -> WriteDecision in throw Refused() } }
        #expect(table.getItem(key) == nil)
        #expect(sink.records.withLock { $0.isEmpty })
    }

    @Test("Item count and size follow the writes")
    func countsAndSizes() throws {
        let table = Self.makeTable()
        for index in 0..<50 {
            let item = Self.item("p\(index % 7)", "s\(index)")
            table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
        }
        #expect(table.itemCount == 50)
        let expectedSize = (0..<50).reduce(0) { $0 + ItemSize.of(Self.item("p\($1 % 7)", "s\($1)")) }
        #expect(table.sizeInBytes == expectedSize)
    }

    func sortKeys(_ table: Table, _ range: SortKeyRange, forward: Bool = true, after: String? = nil) -> [String] {
        var result: [String] = []
        table.query(partition: Array("p".utf8), sortRange: range, forward: forward,
                    exclusiveStartSort: after.map { Array($0.utf8) }) { _, item in
            if case .s(let sort)? = item["sk"] { result.append(sort) }
            return true
        }
        return result
    }

    @Test("Query walks one partition within every kind of sort-key range, both directions")
    func queryRanges() throws {
        let table = Self.makeTable()
        let sorts = ["a", "b", "ba", "bb", "c", "d"]
        for sort in sorts + ["zz"] {
            let item = Self.item(sort == "zz" ? "other" : "p", sort)
            table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
        }
        let b = Array("b".utf8)
        let c = Array("c".utf8)
        #expect(sortKeys(table, .all) == sorts)
        #expect(sortKeys(table, .all, forward: false) == sorts.reversed())
        #expect(sortKeys(table, .equal(b)) == ["b"])
        #expect(sortKeys(table, .less(b)) == ["a"])
        #expect(sortKeys(table, .lessOrEqual(b)) == ["a", "b"])
        #expect(sortKeys(table, .greater(b)) == ["ba", "bb", "c", "d"])
        #expect(sortKeys(table, .greaterOrEqual(c), forward: false) == ["d", "c"])
        #expect(sortKeys(table, .between(b, c)) == ["b", "ba", "bb", "c"])
        #expect(sortKeys(table, .between(b, c), forward: false) == ["c", "bb", "ba", "b"])
        #expect(sortKeys(table, .beginsWith(b)) == ["b", "ba", "bb"])
        #expect(sortKeys(table, .beginsWith(b), forward: false) == ["bb", "ba", "b"])
        #expect(sortKeys(table, .all, after: "ba") == ["bb", "c", "d"])
        #expect(sortKeys(table, .all, forward: false, after: "ba") == ["b", "a"])
        #expect(sortKeys(table, .between(b, c), after: "b") == ["ba", "bb", "c"])
    }

    @Test("Parallel scan segments are disjoint and together cover every item once", arguments: [1, 3, 16])
    func scanSegments(totalSegments: Int) throws {
        let table = Self.makeTable(shards: 8)
        var expected = Set<String>()
        for index in 0..<600 {
            let item = Self.item("p\(index)", "s")
            expected.insert("p\(index)")
            table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
        }
        var seen: [String] = []
        for segment in 0..<totalSegments {
            table.scan(segment: segment, totalSegments: totalSegments) { _, item in
                if case .s(let pk)? = item["pk"] { seen.append(pk) }
                return true
            }
        }
        #expect(seen.count == 600)
        #expect(Set(seen) == expected)
    }

    @Test("Scan resumes strictly after an exclusive start key")
    func scanResumes() throws {
        let table = Self.makeTable()
        for index in 0..<100 {
            let item = Self.item("p\(index)", "s")
            table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
        }
        var all: [EncodedKey] = []
        table.scan { key, _ in all.append(key); return true }
        var resumed: [EncodedKey] = []
        table.scan(exclusiveStart: all[41]) { key, _ in resumed.append(key); return true }
        #expect(resumed == Array(all[42...]))
    }

    @Test("A paging scan under concurrent writes returns every stable item exactly once")
    func scanUnderConcurrentWrites() async throws {
        let table = Self.makeTable(shards: 4)
        for index in 0..<2000 {
            let item = Self.item("stable\(index)", "s")
            table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
        }
        let writer = Task.detached {
            for round in 0..<3000 {
                let item = Self.item("churn\(round % 300)", "s")
                guard let key = table.encodedKey(of: item) else { continue }
                table.write(key) { current in current == nil ? .put(item) : .delete }
            }
        }
        var seen: [String: Int] = [:]
        var start: EncodedKey?
        while true {
            var page: [(EncodedKey, Item)] = []
            table.scan(exclusiveStart: start) { key, item in page.append((key, item)); return page.count < 37 }
            for (_, item) in page { if case .s(let pk)? = item["pk"], pk.hasPrefix("stable") { seen[pk, default: 0] += 1 } }
            guard page.count == 37, let last = page.last else { break }
            start = last.0
        }
        await writer.value
        #expect(seen.count == 2000)
        #expect(seen.values.allSatisfy { $0 == 1 })
    }

    @Test("Concurrent read-modify-write increments on one key lose no update")
    func concurrentIncrements() async throws {
        let table = Self.makeTable()
        let key = try #require(table.encodedKey(of: Self.item("counter", "x")))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<250 {
                        table.write(key) { current in
                            var value = 0
                            if case .n(let number)? = current?["v"] { value = Int(number.canonicalText) ?? 0 }
                            return .put(Self.item("counter", "x", value + 1))
                        }
                    }
                }
            }
        }
        #expect(table.getItem(key)?["v"] == .n(DynamoNumber(2000)))
    }

    @Test("Catalogs keep namespaces apart and list names sorted")
    func catalogNamespaces() throws {
        let catalog = Catalog(shardCount: 2)
        let other = Namespace(accountId: "000000000000", region: "us-east-1")
        let definition = Self.makeTable().definition
        try catalog.createTable(definition, in: Self.namespace)
        try catalog.createTable(definition, in: other)
        #expect(throws: StorageError.tableAlreadyExists("t")) { try catalog.createTable(definition, in: other) }
        var renamed = definition
        renamed.name = "a"
        try catalog.createTable(renamed, in: Self.namespace)
        #expect(catalog.tableNames(in: Self.namespace) == ["a", "t"])
        try catalog.deleteTable(named: "t", in: other)
        #expect(catalog.table(named: "t", in: Self.namespace) != nil)
        #expect(catalog.tableNames(in: other).isEmpty)
    }
}
