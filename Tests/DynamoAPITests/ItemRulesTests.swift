import DynamoModel
import Expressions
import Storage
import Testing
@testable import DynamoAPI

@Suite("Item rules of the write funnel")
struct ItemRulesTests {
    /// pk (S) / sk (S); global `byTag` on tag (S); global `byScore` on owner (S) + score (N); local `byWhen` on when (B).
    static func table() -> Table {
        let schema = KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s), sortKey: KeyAttribute(name: "sk", type: .s))
        var definition = TableDefinition(name: "t", tableId: "id", arn: "arn", keySchema: schema,
                                         attributeDefinitions: [], billingMode: .payPerRequest,
                                         provisionedThroughput: ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0),
                                         creationDateTime: 0)
        definition.globalSecondaryIndexes = [
            IndexDefinition(name: "byTag", keySchema: KeySchema(partitionKey: KeyAttribute(name: "tag", type: .s)),
                            projectionType: .all, nonKeyAttributes: [], provisionedThroughput: nil, isGlobal: true,
                            arn: "arn/index/byTag"),
            IndexDefinition(name: "byScore", keySchema: KeySchema(partitionKey: KeyAttribute(name: "owner", type: .s),
                                                                  sortKey: KeyAttribute(name: "score", type: .n)),
                            projectionType: .keysOnly, nonKeyAttributes: [], provisionedThroughput: nil, isGlobal: true,
                            arn: "arn/index/byScore"),
        ]
        definition.localSecondaryIndexes = [
            IndexDefinition(name: "byWhen", keySchema: KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s),
                                                                 sortKey: KeyAttribute(name: "when", type: .b)),
                            projectionType: .all, nonKeyAttributes: [], provisionedThroughput: nil, isGlobal: false,
                            arn: "arn/index/byWhen"),
        ]
        return Table(definition: definition, namespace: Namespace(accountId: "123456789012", region: "us-east-1"),
                     shardCount: 1, changeSink: nil)
    }

    static let base: Item = ["pk": .s("p"), "sk": .s("s")]

    struct Case: Sendable, CustomStringConvertible {
        var extra: Item
        var origin: ItemRules.Origin
        var scope: RuleViolation.Scope?
        var message: String?
        var description: String { message ?? "accepted" }
    }

    static let cases: [Case] = [
        Case(extra: ["tag": .s("t"), "owner": .s("o"), "score": .n(DynamoNumber(1))], origin: .item, scope: nil, message: nil),
        Case(extra: ["owner": .s("o")], origin: .item, scope: nil, message: nil),
        Case(extra: ["tag": .n(DynamoNumber(3))], origin: .item, scope: .action, message:
            "One or more parameter values were invalid: Type mismatch for Index Key tag Expected: S Actual: N IndexName: byTag"),
        Case(extra: ["when": .s("x")], origin: .update, scope: .action, message:
            "One or more parameter values were invalid: Type mismatch for Index Key when Expected: B Actual: S IndexName: byWhen"),
        Case(extra: ["score": .l([])], origin: .item, scope: .action, message:
            "One or more parameter values were invalid: Type mismatch for Index Key score Expected: N Actual: L IndexName: byScore"),
        Case(extra: ["tag": .s("")], origin: .item, scope: .request, message:
            "One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
            + "The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byTag, IndexKey: tag"),
        Case(extra: ["when": .b([])], origin: .item, scope: .request, message:
            "One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
            + "The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: byWhen, IndexKey: when"),
        Case(extra: ["tag": .s("")], origin: .update, scope: .request, message:
            "One or more parameter values are not valid. The update expression attempted to update a secondary index key "
            + "to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value."),
        Case(extra: ["tag": .s(String(repeating: "t", count: 2049))], origin: .item, scope: .request, message:
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"),
        Case(extra: ["tag": .s(String(repeating: "t", count: 2048))], origin: .item, scope: nil, message: nil),
        Case(extra: ["when": .b([UInt8](repeating: 1, count: 1025))], origin: .item, scope: .request, message:
            "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"),
        Case(extra: ["big": .s(String(repeating: "x", count: 400 * 1024))], origin: .item, scope: .action,
             message: "Item size has exceeded the maximum allowed size"),
        Case(extra: ["big": .s(String(repeating: "x", count: 400 * 1024))], origin: .update, scope: .action,
             message: "Item size to update has exceeded the maximum allowed size"),
    ]

    @Test("An item is checked against every index key, then its size", arguments: cases)
    func rules(_ rule: Case) {
        let table = Self.table()
        let item = Self.base.merging(rule.extra) { _, new in new }
        do throws(RuleViolation) {
            try ItemRules.check(item, in: table, origin: rule.origin)
            #expect(rule.message == nil)
        } catch {
            #expect(error.error == DynamoError.validation(rule.message ?? ""))
            #expect(error.scope == rule.scope)
        }
    }

    @Test("An update of a missing item that only removes decides to change nothing")
    func removingUpdateOfMissingItem() throws {
        let table = Self.table()
        let key = try table.keySchema.encodedKey(of: Self.base, source: .keyMap)
        let remove = UpdateExpression(actions: [.remove(DocumentPath(name: "a"))])
        let write = ItemWrite(table: table, key: key, action: .update(remove, keyMap: Self.base))
        guard case .unchanged = try write.decide(nil, settings: APISettings()) else {
            Issue.record("a removing update created the item")
            return
        }
        guard case .put = try write.decide(Self.base, settings: APISettings()) else {
            Issue.record("a removing update of an existing item must store it")
            return
        }
    }

    @Test("PartiQL's missing- and present-item rules come before the condition")
    func missingAndPresentRules() throws {
        let table = Self.table()
        let key = try table.keySchema.encodedKey(of: Self.base, source: .keyMap)
        var insert = ItemWrite(table: table, key: key, action: .put(Self.base))
        insert.failsWhenPresent = DynamoError(.duplicateItem, "Duplicate primary key exists in table")
        #expect(throws: DynamoError(.duplicateItem, "Duplicate primary key exists in table")) {
            try insert.decide(Self.base, settings: APISettings())
        }
        var delete = ItemWrite(table: table, key: key, action: .delete)
        delete.whenMissing = .skip
        delete.condition = WriteCondition(condition: .attributeExists(DocumentPath(name: "nothing")))
        guard case .unchanged = try delete.decide(nil, settings: APISettings()) else {
            Issue.record("a skipped delete changed something")
            return
        }
    }
}
