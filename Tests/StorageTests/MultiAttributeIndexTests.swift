import DynamoModel
import Testing
@testable import Storage

/// A global index keyed by HASH (g1, g2) and RANGE (s1, s2 N).
@Suite("Multi-attribute secondary indexes")
struct MultiAttributeIndexTests {
    static let indexSchema = KeySchema(partitionKeys: [KeyAttribute(name: "g1", type: .s), KeyAttribute(name: "g2", type: .s)],
                                       sortKeys: [KeyAttribute(name: "s1", type: .s), KeyAttribute(name: "s2", type: .n)])

    static func table() -> Table {
        var definition = TableDefinition(name: "t", tableId: "id", arn: "arn", keySchema: KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s)),
                                         attributeDefinitions: [], billingMode: .payPerRequest,
                                         provisionedThroughput: ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0),
                                         creationDateTime: 0)
        definition.globalSecondaryIndexes = [IndexDefinition(name: "multi", keySchema: indexSchema, projectionType: .all,
                                                             nonKeyAttributes: [], provisionedThroughput: nil, isGlobal: true,
                                                             arn: "arn/index/multi")]
        return Table(definition: definition, namespace: TableTests.namespace, shardCount: 4, changeSink: nil)
    }

    static func item(_ pk: String, _ s1: String?, _ s2: Int?, g2: String? = "b") -> Item {
        var item: Item = ["pk": .s(pk), "g1": .s("a")]
        if let g2 { item["g2"] = .s(g2) }
        if let s1 { item["s1"] = .s(s1) }
        if let s2 { item["s2"] = .n(DynamoNumber(s2)) }
        return item
    }

    static let partition = KeyTupleEncoding.tuple([Array("a".utf8), Array("b".utf8)])

    static func query(_ table: Table, prefix: [String], next: SortKeyRange, forward: Bool = true) -> [String] {
        guard let index = table.index(named: "multi") else { return [] }
        var found: [String] = []
        table.queryIndex(index, partition: partition, sortPrefix: prefix.map { Array($0.utf8) }, nextRange: next,
                         forward: forward) { _, item in
            if case .s(let pk)? = item["pk"] { found.append(pk) }
            return true
        }
        return found
    }

    static func number(_ value: Int) -> [UInt8] { KeyEncoding.encode(.n(DynamoNumber(value))) }

    @Test("Entries order by the sort tuple; a fixed first RANGE attribute bounds a range on the second")
    func ordering() throws {
        let table = Self.table()
        for item in [Self.item("p1", "x", 10), Self.item("p2", "x", 2), Self.item("p3", "w", 50), Self.item("p4", "x\u{0}", 1),
                     Self.item("p5", "y", -1), Self.item("p6", nil, 3), Self.item("p7", "x", 5, g2: nil)] {
            table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
        }
        // p6 and p7 lack a key attribute: the index is sparse.
        #expect(Self.query(table, prefix: [], next: .all) == ["p3", "p2", "p1", "p4", "p5"])
        #expect(Self.query(table, prefix: [], next: .all, forward: false) == ["p5", "p4", "p1", "p2", "p3"])
        #expect(Self.query(table, prefix: [], next: .equal(Array("x".utf8))) == ["p2", "p1"])
        #expect(Self.query(table, prefix: [], next: .greater(Array("x".utf8))) == ["p4", "p5"])
        #expect(Self.query(table, prefix: [], next: .beginsWith(Array("x".utf8))) == ["p2", "p1", "p4"])
        #expect(Self.query(table, prefix: ["x"], next: .greaterOrEqual(Self.number(5))) == ["p1"])
        #expect(Self.query(table, prefix: ["x"], next: .between(Self.number(0), Self.number(9))) == ["p2"])
        #expect(Self.query(table, prefix: ["x"], next: .lessOrEqual(Self.number(10))) == ["p2", "p1"])
        #expect(Self.query(table, prefix: ["x"], next: .all, forward: false) == ["p1", "p2"])
    }

    @Test("Backfill leaves out items whose key values are empty or too long")
    func backfill() throws {
        var definition = Self.table().definition
        definition.globalSecondaryIndexes = []
        let table = Table(definition: definition, namespace: TableTests.namespace, shardCount: 4, changeSink: nil)
        var empty = Self.item("e", "", 1)
        empty["s1"] = .s("")
        var long = Self.item("l", String(repeating: "z", count: 1025), 1)
        long["g1"] = .s("a")
        for item in [Self.item("ok", "x", 1), empty, long] {
            table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
        }
        let index = table.addIndex(IndexDefinition(name: "multi", keySchema: Self.indexSchema, projectionType: .all,
                                                   nonKeyAttributes: [], provisionedThroughput: nil, isGlobal: true, arn: "arn"))
        table.backfill(index)
        #expect(Self.query(table, prefix: [], next: .all) == ["ok"])
    }

    @Test("Multi-attribute keys and warm throughput survive encoding; single-attribute definitions are unchanged")
    func coding() throws {
        var definition = Self.table().definition
        definition.warmThroughput = WarmThroughput(readUnitsPerSecond: 20_000, writeUnitsPerSecond: 4_000)
        definition.indexWarmThroughput = ["multi": WarmThroughput(readUnitsPerSecond: 13_000, writeUnitsPerSecond: 5_000)]
        let decoded = try CapacitySettingsCodingTests.roundTrip(definition)
        #expect(decoded.globalSecondaryIndexes.first?.keySchema == Self.indexSchema)
        #expect(decoded.warmThroughput == definition.warmThroughput)
        #expect(decoded.indexWarmThroughput == definition.indexWarmThroughput)
        // A definition with neither decodes with none.
        let plain = CapacitySettingsCodingTests.definition()
        #expect(try CapacitySettingsCodingTests.roundTrip(plain).warmThroughput == nil)
    }
}
