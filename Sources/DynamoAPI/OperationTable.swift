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

    /// Implemented DynamoDB operations.
    static let dynamoDBHandlers: [String: OperationHandler] = [
        "ListTables": ListTables.handle,
        "CreateTable": CreateTable.handle,
        "DescribeTable": DescribeTable.handle,
        "DeleteTable": DeleteTable.handle,
        "UpdateTable": UpdateTable.handle,
        "PutItem": PutItem.handle,
        "GetItem": GetItem.handle,
        "DeleteItem": DeleteItem.handle,
        "UpdateItem": UpdateItem.handle,
        "Query": Query.handle,
        "Scan": Scan.handle,
        "BatchWriteItem": BatchWriteItem.handle,
        "BatchGetItem": BatchGetItem.handle,
        "TransactWriteItems": TransactWriteItems.handle,
        "TransactGetItems": TransactGetItems.handle,
        "DescribeLimits": DescribeLimits.handle,
        "TagResource": Tagging.tagResource,
        "UntagResource": Tagging.untagResource,
        "ListTagsOfResource": Tagging.listTagsOfResource,
        "DescribeEndpoints": DescribeEndpoints.handle,
        "UpdateTimeToLive": TimeToLive.updateTimeToLive,
        "DescribeTimeToLive": TimeToLive.describeTimeToLive,
        "UpdateTableReplicaAutoScaling": TableReplicaAutoScaling.update,
        "DescribeTableReplicaAutoScaling": TableReplicaAutoScaling.describe,
        "ExecuteStatement": ExecuteStatement.handle,
        "BatchExecuteStatement": BatchExecuteStatement.handle,
        "ExecuteTransaction": ExecuteTransaction.handle,
        "CreateBackup": CreateBackup.handle,
        "DescribeBackup": DescribeBackup.handle,
        "ListBackups": ListBackups.handle,
        "DeleteBackup": DeleteBackup.handle,
        "RestoreTableFromBackup": RestoreTableFromBackup.handle,
        "UpdateContinuousBackups": ContinuousBackups.update,
        "DescribeContinuousBackups": ContinuousBackups.describe,
        "RestoreTableToPointInTime": RestoreTableToPointInTime.handle,
        "ExportTableToPointInTime": ExportTableToPointInTime.handle,
        "DescribeExport": ExportQueries.describe,
        "ListExports": ExportQueries.list,
        "ImportTable": ImportTable.handle,
        "DescribeImport": ImportQueries.describe,
        "ListImports": ImportQueries.list,
        "UpdateContributorInsights": ContributorInsights.update,
        "DescribeContributorInsights": ContributorInsights.describe,
        "ListContributorInsights": ContributorInsights.list,
    ]

    /// Operations whose work grows with the size of a table while the caller waits (a backup copies every item):
    /// the server runs them off the epoll loops, so that the loop's other connections are not held up meanwhile.
    package static let longRunningOperations: Set<String> = ["CreateBackup"]

    /// Whether the operation an `X-Amz-Target` names is one of `longRunningOperations`.
    package static func runsLong(target: String) -> Bool {
        if case .implemented(let name, _, _) = route(target: target) { return longRunningOperations.contains(name) }
        return false
    }

    /// Operations that change data or tables: their response waits until the change is durable.
    package static let writeOperations: Set<String> = [
        "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "CreateTable", "UpdateTable", "DeleteTable",
        "TagResource", "UntagResource", "UpdateTimeToLive", "UpdateTableReplicaAutoScaling",
        "CreateBackup", "DeleteBackup", "RestoreTableFromBackup", "UpdateContinuousBackups", "RestoreTableToPointInTime",
        "ExportTableToPointInTime", "ImportTable", "UpdateContributorInsights",
        "TransactWriteItems", "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction",
    ]

    /// Implemented DynamoDB Streams operations.
    static let streamsHandlers: [String: OperationHandler] = [
        "ListStreams": ListStreams.handle,
        "DescribeStream": DescribeStream.handle,
        "GetShardIterator": GetShardIterator.handle,
        "GetRecords": GetRecords.handle,
    ]

    /// Every implemented operation by its whole `X-Amz-Target`: one lookup on the request path.
    static let implementedRoutes: [String: OperationRoute] = {
        var routes: [String: OperationRoute] = [:]
        for (name, handler) in dynamoDBHandlers {
            routes[dynamoDBPrefix + name] = .implemented(name: name, handler: handler,
                                                         isWrite: writeOperations.contains(name))
        }
        for (name, handler) in streamsHandlers {
            routes[streamsPrefix + name] = .implemented(name: name, handler: handler, isWrite: false)
        }
        return routes
    }()

    /// Resolves an `X-Amz-Target` header value.
    package static func route(target: String) -> OperationRoute {
        if let route = implementedRoutes[target] { return route }
        if target.hasPrefix(dynamoDBPrefix) {
            let name = String(target.dropFirst(dynamoDBPrefix.count))
            if let handler = dynamoDBHandlers[name] {
                return .implemented(name: name, handler: handler, isWrite: writeOperations.contains(name))
            }
            if dynamoDBOperations.contains(name) { return .notImplemented(name: name) }
        } else if target.hasPrefix(streamsPrefix) {
            let name = String(target.dropFirst(streamsPrefix.count))
            if let handler = streamsHandlers[name] { return .implemented(name: name, handler: handler, isWrite: false) }
            if streamsOperations.contains(name) { return .notImplemented(name: name) }
        }
        return .unknown
    }
}
