import DynamoModel
import Testing
@testable import Storage

@Suite("Secondary index maintenance")
struct SecondaryIndexTests {
    static func table() -> Table {
        let schema = KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s), sortKey: KeyAttribute(name: "sk", type: .s))
        var definition = TableDefinition(name: "t", tableId: "id", arn: "arn", keySchema: schema,
                                         attributeDefinitions: [], billingMode: .payPerRequest,
                                         provisionedThroughput: ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0),
                                         creationDateTime: 0)
        definition.globalSecondaryIndexes = [IndexDefinition(
            name: "byG", keySchema: KeySchema(partitionKey: KeyAttribute(name: "g", type: .s), sortKey: KeyAttribute(name: "n", type: .n)),
            projectionType: .include, nonKeyAttributes: ["kept"], provisionedThroughput: nil, isGlobal: true, arn: "arn/index/byG")]
        return Table(definition: definition, namespace: TableTests.namespace, shardCount: 4, changeSink: nil)
    }

    static func put(_ table: Table, _ item: Item) throws {
        table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
    }

    static func entries(_ table: Table, _ g: String) -> [Item] {
        guard let index = table.index(named: "byG") else { return [] }
        var found: [Item] = []
        table.queryIndex(index, partition: Array(g.utf8), sortRange: .all, forward: true) { _, item in found.append(item); return true }
        return found
    }

    @Test("Entries follow the index key being added, changed and removed; projection keeps only what it names")
    func lifecycle() throws {
        let table = Self.table()
        let base: Item = ["pk": .s("a"), "sk": .s("1"), "kept": .s("k"), "dropped": .s("d")]
        try Self.put(table, base)
        #expect(Self.entries(table, "x").isEmpty)
        var withKey = base
        withKey["g"] = .s("x")
        withKey["n"] = .n(DynamoNumber(5))
        try Self.put(table, withKey)
        #expect(Self.entries(table, "x") == [["pk": .s("a"), "sk": .s("1"), "g": .s("x"), "n": .n(DynamoNumber(5)), "kept": .s("k")]])
        var moved = withKey
        moved["g"] = .s("y")
        try Self.put(table, moved)
        #expect(Self.entries(table, "x").isEmpty)
        #expect(Self.entries(table, "y").count == 1)
        var projectionOnly = moved
        projectionOnly["kept"] = .s("changed")
        try Self.put(table, projectionOnly)
        #expect(Self.entries(table, "y").first?["kept"] == .s("changed"))
        var wrongType = moved
        wrongType["n"] = .s("not a number")
        try Self.put(table, wrongType)
        #expect(Self.entries(table, "y").isEmpty)
        #expect(table.index(named: "byG")?.itemCount == 0)
    }

    @Test("Index entries order by index sort key, then table key; equal index keys are allowed")
    func ordering() throws {
        let table = Self.table()
        for (pk, n) in [("c", 2), ("a", 2), ("b", 1), ("d", -3)] {
            try Self.put(table, ["pk": .s(pk), "sk": .s("s"), "g": .s("x"), "n": .n(DynamoNumber(n))])
        }
        #expect(Self.entries(table, "x").compactMap { if case .s(let pk)? = $0["pk"] { return pk } else { return nil } } == ["d", "b", "a", "c"])
    }

    @Test("A backfilled index equals one maintained from the start")
    func backfill() throws {
        let table = Self.table()
        for index in 0..<500 {
            try Self.put(table, ["pk": .s("p\(index)"), "sk": .s("s"), "h": .s("v\(index % 3)")])
        }
        let added = table.addIndex(IndexDefinition(name: "byH", keySchema: KeySchema(partitionKey: KeyAttribute(name: "h", type: .s)),
                                                   projectionType: .keysOnly, nonKeyAttributes: [], provisionedThroughput: nil,
                                                   isGlobal: true, arn: "arn"))
        table.backfill(added)
        #expect(added.itemCount == 500)
        var count = 0
        table.queryIndex(added, partition: Array("v1".utf8), sortRange: .all, forward: true) { _, _ in count += 1; return true }
        #expect(count == 167)
    }
}
