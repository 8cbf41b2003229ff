import Testing
@testable import DynamoAPI

@Suite("The operation table")
struct OperationTableTests {
    @Test("Every implemented operation is a DynamoDB or DynamoDB Streams operation, declared once")
    func namesAreDynamoDBsAndUnique() {
        let names = OperationTable.dynamoDBHandlers.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Set(names).isSubset(of: OperationTable.dynamoDBOperations))
        #expect(Set(OperationTable.streamsHandlers.map(\.name)).isSubset(of: OperationTable.streamsOperations))
    }

    @Test("Operations that change data or tables wait for durability; reads do not",
          arguments: ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems", "ExecuteStatement",
                      "BatchExecuteStatement", "ExecuteTransaction", "CreateTable", "UpdateTable", "DeleteTable",
                      "TagResource", "UntagResource", "UpdateTimeToLive", "CreateBackup", "RestoreTableFromBackup",
                      "ImportTable"])
    func writesAreDeclared(_ name: String) {
        guard case .implemented(_, _, let isWrite) = OperationTable.route(target: "DynamoDB_20120810." + name) else {
            Issue.record("\(name) is not implemented")
            return
        }
        #expect(isWrite)
    }

    @Test("Reads are answered without waiting", arguments: ["GetItem", "Query", "Scan", "DescribeTable", "ListTables"])
    func readsAreNotWrites(_ name: String) {
        guard case .implemented(_, _, let isWrite) = OperationTable.route(target: "DynamoDB_20120810." + name) else {
            Issue.record("\(name) is not implemented")
            return
        }
        #expect(!isWrite)
    }

    @Test("Only CreateBackup runs off the loops; unknown targets route nowhere")
    func longRunningAndUnknown() {
        #expect(OperationTable.runsLong(target: "DynamoDB_20120810.CreateBackup"))
        #expect(!OperationTable.runsLong(target: "DynamoDB_20120810.GetItem"))
        guard case .unknown = OperationTable.route(target: "DynamoDB_20120810.Nonsense") else {
            Issue.record("an unknown operation was routed")
            return
        }
        guard case .notImplemented("CreateGlobalTable") = OperationTable.route(target: "DynamoDB_20120810.CreateGlobalTable") else {
            Issue.record("a DynamoDB operation we lack must say so")
            return
        }
    }
}
