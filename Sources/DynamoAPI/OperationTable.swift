import DynamoModel
import JSON

/// One operation: validates its input and executes it, returning the response document.
package typealias OperationHandler = @Sendable (JSONObject, RequestContext) throws(DynamoError) -> JSONValue

/// Where an `X-Amz-Target` value leads.
package enum OperationRoute: Sendable {
    /// An operation SwiftDynamo implements.
    case implemented(name: String, handler: OperationHandler, isWrite: Bool)
    /// An operation DynamoDB has and SwiftDynamo does not implement yet.
    case notImplemented(name: String)
    /// Not a DynamoDB or DynamoDB Streams operation.
    case unknown
}

/// The table of operations, keyed by `X-Amz-Target`.
package enum OperationTable {
    static let dynamoDBPrefix = "DynamoDB_20120810."
    static let streamsPrefix = "DynamoDBStreams_20120810."

    /// Every DynamoDB operation in the 2012-08-10 API (botocore's service model).
    static let dynamoDBOperations: Set<String> = [
        "BatchExecuteStatement", "BatchGetItem", "BatchWriteItem", "CreateBackup", "CreateGlobalTable",
        "CreateTable", "DeleteBackup", "DeleteItem", "DeleteResourcePolicy", "DeleteTable", "DescribeBackup",
        "DescribeContinuousBackups", "DescribeContributorInsights", "DescribeEndpoints", "DescribeExport",
        "DescribeGlobalTable", "DescribeGlobalTableSettings", "DescribeImport", "DescribeKinesisStreamingDestination",
        "DescribeLimits", "DescribeTable", "DescribeTableReplicaAutoScaling", "DescribeTimeToLive",
        "DisableKinesisStreamingDestination", "EnableKinesisStreamingDestination", "ExecuteStatement",
        "ExecuteTransaction", "ExportTableToPointInTime", "GetItem", "GetResourcePolicy", "ImportTable",
        "ListBackups", "ListContributorInsights", "ListExports", "ListGlobalTables", "ListImports", "ListTables",
        "ListTagsOfResource", "PutItem", "PutResourcePolicy", "Query", "RestoreTableFromBackup",
        "RestoreTableToPointInTime", "Scan", "TagResource", "TransactGetItems", "TransactWriteItems",
        "UntagResource", "UpdateContinuousBackups", "UpdateContributorInsights", "UpdateGlobalTable",
        "UpdateGlobalTableSettings", "UpdateItem", "UpdateKinesisStreamingDestination", "UpdateTable",
        "UpdateTableReplicaAutoScaling", "UpdateTimeToLive",
    ]

    /// Every DynamoDB Streams operation.
    static let streamsOperations: Set<String> = ["DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"]

    /// Implemented DynamoDB operations, each declaring how the server must run it.
    static let dynamoDBHandlers: [Operation] = [
        Operation("ListTables", ListTables.handle),
        Operation("CreateTable", CreateTable.handle, .writes),
        Operation("DescribeTable", DescribeTable.handle),
        Operation("DeleteTable", DeleteTable.handle, .writes),
        Operation("UpdateTable", UpdateTable.handle, .writes),
        Operation("PutItem", PutItem.handle, .writes),
        Operation("GetItem", GetItem.handle),
        Operation("DeleteItem", DeleteItem.handle, .writes),
        Operation("UpdateItem", UpdateItem.handle, .writes),
        Operation("Query", Query.handle),
        Operation("Scan", Scan.handle),
        Operation("BatchWriteItem", BatchWriteItem.handle, .writes),
        Operation("BatchGetItem", BatchGetItem.handle),
        Operation("TransactWriteItems", TransactWriteItems.handle, .writes),
        Operation("TransactGetItems", TransactGetItems.handle),
        Operation("DescribeLimits", DescribeLimits.handle),
        Operation("TagResource", Tagging.tagResource, .writes),
        Operation("UntagResource", Tagging.untagResource, .writes),
        Operation("ListTagsOfResource", Tagging.listTagsOfResource),
        Operation("DescribeEndpoints", DescribeEndpoints.handle),
        Operation("UpdateTimeToLive", TimeToLive.updateTimeToLive, .writes),
        Operation("DescribeTimeToLive", TimeToLive.describeTimeToLive),
        Operation("UpdateTableReplicaAutoScaling", TableReplicaAutoScaling.update, .writes),
        Operation("DescribeTableReplicaAutoScaling", TableReplicaAutoScaling.describe),
        Operation("ExecuteStatement", ExecuteStatement.handle, .writes),
        Operation("BatchExecuteStatement", BatchExecuteStatement.handle, .writes),
        Operation("ExecuteTransaction", ExecuteTransaction.handle, .writes),
        // A backup copies every item while the caller waits.
        Operation("CreateBackup", CreateBackup.handle, .writes, .runsLong),
        Operation("DescribeBackup", DescribeBackup.handle),
        Operation("ListBackups", ListBackups.handle),
        Operation("DeleteBackup", DeleteBackup.handle, .writes),
        Operation("RestoreTableFromBackup", RestoreTableFromBackup.handle, .writes),
        Operation("UpdateContinuousBackups", ContinuousBackups.update, .writes),
        Operation("DescribeContinuousBackups", ContinuousBackups.describe),
        Operation("RestoreTableToPointInTime", RestoreTableToPointInTime.handle, .writes),
        Operation("ExportTableToPointInTime", ExportTableToPointInTime.handle, .writes),
        Operation("DescribeExport", ExportQueries.describe),
        Operation("ListExports", ExportQueries.list),
        Operation("ImportTable", ImportTable.handle, .writes),
        Operation("DescribeImport", ImportQueries.describe),
        Operation("ListImports", ImportQueries.list),
        Operation("UpdateContributorInsights", ContributorInsights.update, .writes),
        Operation("DescribeContributorInsights", ContributorInsights.describe),
        Operation("ListContributorInsights", ContributorInsights.list),
    ]

    /// Implemented DynamoDB Streams operations (all reads).
    static let streamsHandlers: [Operation] = [
        Operation("ListStreams", ListStreams.handle),
        Operation("DescribeStream", DescribeStream.handle),
        Operation("GetShardIterator", GetShardIterator.handle),
        Operation("GetRecords", GetRecords.handle),
    ]

    /// Whether the operation an `X-Amz-Target` names must run off the epoll loops, because its work grows with
    /// the size of a table while the caller waits.
    package static func runsLong(target: String) -> Bool {
        implementedOperations[target]?.runsLong ?? false
    }

    /// Every implemented operation by its whole `X-Amz-Target`: one lookup on the request path.
    static let implementedOperations: [String: Operation] = {
        var operations: [String: Operation] = [:]
        for operation in dynamoDBHandlers { operations[dynamoDBPrefix + operation.name] = operation }
        for operation in streamsHandlers { operations[streamsPrefix + operation.name] = operation }
        return operations
    }()

    /// Resolves an `X-Amz-Target` header value.
    package static func route(target: String) -> OperationRoute {
        if let operation = implementedOperations[target] {
            return .implemented(name: operation.name, handler: operation.handler, isWrite: operation.writes)
        }
        if target.hasPrefix(dynamoDBPrefix), dynamoDBOperations.contains(String(target.dropFirst(dynamoDBPrefix.count))) {
            return .notImplemented(name: String(target.dropFirst(dynamoDBPrefix.count)))
        }
        if target.hasPrefix(streamsPrefix), streamsOperations.contains(String(target.dropFirst(streamsPrefix.count))) {
            return .notImplemented(name: String(target.dropFirst(streamsPrefix.count)))
        }
        return .unknown
    }
}

/// One implemented operation: its name, its handler, and how the server must run it.
package struct Operation: Sendable {
    /// How an operation differs from a plain read.
    package enum Trait: Sendable {
        /// It changes data or tables: the answer waits until the change is durable.
        case writes
        /// Its work grows with a table's size: the server runs it off the epoll loops.
        case runsLong
    }

    package let name: String
    let handler: OperationHandler
    package let writes: Bool
    package let runsLong: Bool

    init(_ name: String, _ handler: @escaping OperationHandler, _ traits: Trait...) {
        self.name = name
        self.handler = handler
        writes = traits.contains(.writes)
        runsLong = traits.contains(.runsLong)
    }
}
