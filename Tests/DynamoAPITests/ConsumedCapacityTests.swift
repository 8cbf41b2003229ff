import Capacity
import DynamoModel
import JSON
import Storage
import Testing
@testable import DynamoAPI

@Suite("Consumed capacity")
struct ConsumedCapacityTests {
    static let tableKey = KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s), sortKey: nil)

    static func definition() -> TableDefinition {
        var definition = TableDefinition(name: "t", tableId: "id", arn: "arn:aws:dynamodb:r:1:table/t", keySchema: tableKey,
                                         attributeDefinitions: [], billingMode: .payPerRequest,
                                         provisionedThroughput: ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0),
                                         creationDateTime: 0)
        definition.globalSecondaryIndexes = [IndexDefinition(
            name: "gsi", keySchema: KeySchema(partitionKey: KeyAttribute(name: "g", type: .s), sortKey: nil),
            projectionType: .include, nonKeyAttributes: ["p"], provisionedThroughput: nil, isGlobal: true, arn: "")]
        return definition
    }

    static func item(_ values: [String: String]) -> Item { values.mapValues { AttributeValue.s($0) } }

    func indexUnits(old: Item?, new: Item?) -> Double? {
        var consumed = ConsumedCapacity(tableName: "t", dimension: .write)
        IndexWriteCost.add(for: Self.definition(), oldItem: old, newItem: new, to: &consumed)
        return consumed.indexes.first?.units
    }

    @Test("An item entering or leaving an index costs one index write")
    func enterAndLeave() {
        #expect(indexUnits(old: nil, new: Self.item(["pk": "a", "g": "x"])) == 1)
        #expect(indexUnits(old: Self.item(["pk": "a", "g": "x"]), new: nil) == 1)
        #expect(indexUnits(old: Self.item(["pk": "a", "g": "x"]), new: Self.item(["pk": "a"])) == 1)
    }

    @Test("A changed index key costs two writes: delete the old entry, put the new")
    func keyChange() {
        #expect(indexUnits(old: Self.item(["pk": "a", "g": "x"]), new: Self.item(["pk": "a", "g": "y"])) == 2)
    }

    @Test("A change to a projected attribute costs one write; other changes and sparse items cost none")
    func projectedAndUnprojected() {
        #expect(indexUnits(old: Self.item(["pk": "a", "g": "x", "p": "1"]), new: Self.item(["pk": "a", "g": "x", "p": "2"])) == 1)
        #expect(indexUnits(old: Self.item(["pk": "a", "g": "x", "o": "1"]), new: Self.item(["pk": "a", "g": "x", "o": "2"])) == nil)
        #expect(indexUnits(old: Self.item(["pk": "a"]), new: Self.item(["pk": "a", "o": "2"])) == nil)
    }

    @Test("TOTAL and INDEXES carry the aggregate only; transactions add the read/write split")
    func shapes() {
        var consumed = ConsumedCapacity(tableName: "t", dimension: .write)
        consumed.tableUnits = 1
        consumed.addIndex("gsi", isGlobal: true, units: 2)
        let total = JSONWriter.serialize(consumed.json(mode: "TOTAL") ?? .null)
        #expect(String(decoding: total, as: UTF8.self) == #"{"TableName":"t","CapacityUnits":3.0}"#)
        let indexes = JSONWriter.serialize(consumed.json(mode: "INDEXES") ?? .null)
        #expect(String(decoding: indexes, as: UTF8.self)
            == #"{"TableName":"t","CapacityUnits":3.0,"Table":{"CapacityUnits":1.0},"GlobalSecondaryIndexes":{"gsi":{"CapacityUnits":2.0}}}"#)
        let transaction = JSONWriter.serialize(consumed.doubled().json(mode: "INDEXES") ?? .null)
        #expect(String(decoding: transaction, as: UTF8.self)
            == #"{"TableName":"t","CapacityUnits":6.0,"WriteCapacityUnits":6.0,"Table":{"WriteCapacityUnits":2.0,"CapacityUnits":2.0},"GlobalSecondaryIndexes":{"gsi":{"CapacityUnits":4.0}}}"#)
        #expect(consumed.json(mode: "NONE") == nil)
        #expect(consumed.json(mode: nil) == nil)
    }
}
