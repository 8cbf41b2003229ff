import DynamoModel
import JSON
import Storage

/// Renders a `TableDescription` exactly as DescribeTable / CreateTable / DeleteTable / UpdateTable return it.
enum TableDescriptionWriter {
    static func describe(_ definition: TableDefinition, itemCount: Int, sizeInBytes: Int,
                         status: TableStatus? = nil, encryptedAtRest: Bool = false,
                         indexStatistics: [String: (count: Int, size: Int)] = [:]) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        members.append(("AttributeDefinitions", .array(definition.attributeDefinitions.map { attribute in
            .object(JSONObject([("AttributeName", .string(attribute.name)),
                                ("AttributeType", .string(attribute.type.rawValue))]))
        })))
        members.append(("TableName", .string(definition.name)))
        members.append(("KeySchema", keySchema(definition.keySchema)))
        members.append(("TableStatus", .string((status ?? definition.status).rawValue)))
        members.append(("CreationDateTime", .number(timestamp(definition.creationDateTime))))
        members.append(("ProvisionedThroughput", throughput(definition)))
        members.append(("TableSizeBytes", .number(String(sizeInBytes))))
        members.append(("ItemCount", .number(String(itemCount))))
        members.append(("TableArn", .string(definition.arn)))
        members.append(("TableId", .string(definition.tableId)))
        if definition.billingMode == .payPerRequest || definition.lastUpdateToPayPerRequestDateTime != nil {
            var summary: [(key: String, value: JSONValue)] = [("BillingMode", .string(definition.billingMode.rawValue))]
            if let when = definition.lastUpdateToPayPerRequestDateTime {
                summary.append(("LastUpdateToPayPerRequestDateTime", .number(timestamp(when))))
            }
            members.append(("BillingModeSummary", .object(JSONObject(summary))))
        }
        if let onDemand = definition.onDemandThroughput {
            members.append(("OnDemandThroughput", OnDemandThroughputInput.describe(onDemand)))
        }
        if definition.streamEnabled, let viewType = definition.streamViewType {
            members.append(("StreamSpecification", .object(JSONObject([
                ("StreamEnabled", .bool(true)), ("StreamViewType", .string(viewType)),
            ]))))
        }
        // The latest stream stays named after it is disabled: it is readable for its retention period.
        if let created = definition.latestStreamCreationTime {
            let label = StreamLabel.make(created)
            members.append(("LatestStreamLabel", .string(label)))
            members.append(("LatestStreamArn", .string("\(definition.arn)/stream/\(label)")))
        }
        if definition.sseEnabled {
            var sse: [(key: String, value: JSONValue)] = [("Status", .string("ENABLED")),
                                                          ("SSEType", .string(definition.sseType ?? "KMS"))]
            let keyArn = definition.kmsMasterKeyId ?? "arn:aws:kms:\(region(of: definition.arn)):\(account(of: definition.arn)):key/swiftdynamo-managed"
            sse.append(("KMSMasterKeyArn", .string(keyArn)))
            members.append(("SSEDescription", .object(JSONObject(sse))))
        }
        else if encryptedAtRest {
            // The server's own key encrypts everything on disk (AES-256-GCM).
            members.append(("SSEDescription", .object(JSONObject([("Status", .string("ENABLED")),
                                                                   ("SSEType", .string("AES256"))]))))
        }
        members.append(("WarmThroughput", WarmThroughputInput.describe(
            WarmThroughputInput.effective(definition.warmThroughput, provisioned: definition.provisionedThroughput),
            status: (status ?? definition.status).rawValue)))
        if definition.tableClass != "STANDARD" {
            members.append(("TableClassSummary", .object(JSONObject([("TableClass", .string(definition.tableClass))]))))
        }
        if !definition.localSecondaryIndexes.isEmpty {
            members.append(("LocalSecondaryIndexes", .array(definition.localSecondaryIndexes.map {
                index(($0), statistics: indexStatistics[$0.name], definition: definition)
            })))
        }
        if !definition.globalSecondaryIndexes.isEmpty {
            members.append(("GlobalSecondaryIndexes", .array(definition.globalSecondaryIndexes.map {
                index(($0), statistics: indexStatistics[$0.name], definition: definition)
            })))
        }
        if let restore = definition.restoreSummary {
            var summary: [(key: String, value: JSONValue)] = []
            if let backup = restore.sourceBackupArn { summary.append(("SourceBackupArn", .string(backup))) }
            if let table = restore.sourceTableArn { summary.append(("SourceTableArn", .string(table))) }
            summary.append(("RestoreDateTime", .number(timestamp(restore.restoreDateTime))))
            summary.append(("RestoreInProgress", .bool(restore.inProgress)))
            members.append(("RestoreSummary", .object(JSONObject(summary))))
        }
        members.append(("DeletionProtectionEnabled", .bool(definition.deletionProtectionEnabled)))
        return .object(JSONObject(members))
    }

    /// DeleteTable's description: DynamoDB answers with the table's identity, status, capacity and settings, but
    /// not its schema (KeySchema, AttributeDefinitions, indexes) nor its creation time.
    static func describeDeleted(_ definition: TableDefinition, itemCount: Int, sizeInBytes: Int,
                                encryptedAtRest: Bool = false) -> JSONValue {
        let omitted: Set<String> = ["AttributeDefinitions", "KeySchema", "CreationDateTime", "GlobalSecondaryIndexes",
                                    "LocalSecondaryIndexes", "WarmThroughput", "OnDemandThroughput", "RestoreSummary"]
        guard case .object(let full) = describe(definition, itemCount: itemCount, sizeInBytes: sizeInBytes,
                                                encryptedAtRest: encryptedAtRest) else { return .null }
        return .object(JSONObject(full.members.filter { !omitted.contains($0.key) }))
    }

    /// One index's description (`GlobalSecondaryIndexes` / `LocalSecondaryIndexes` entries).
    static func index(_ index: IndexDefinition, statistics: (count: Int, size: Int)?, definition: TableDefinition) -> JSONValue {
        var projection: [(key: String, value: JSONValue)] = [("ProjectionType", .string(index.projectionType.rawValue))]
        if !index.nonKeyAttributes.isEmpty {
            projection.append(("NonKeyAttributes", .array(index.nonKeyAttributes.map { JSONValue.string($0) })))
        }
        var members: [(key: String, value: JSONValue)] = [
            ("IndexName", .string(index.name)), ("KeySchema", keySchema(index.keySchema)),
            ("Projection", .object(JSONObject(projection))),
        ]
        if index.isGlobal {
            members.append(("IndexStatus", .string(index.status)))
            if let maximum = definition.indexOnDemandThroughput[index.name] {
                members.append(("OnDemandThroughput", OnDemandThroughputInput.describe(maximum)))
            }
            if index.backfilling { members.append(("Backfilling", .bool(true))) }
            members.append(("WarmThroughput", WarmThroughputInput.describe(
                WarmThroughputInput.effective(definition.indexWarmThroughput[index.name],
                                              provisioned: index.provisionedThroughput),
                status: "ACTIVE")))
            var throughput = ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0)
            if let provisioned = index.provisionedThroughput { throughput = provisioned }
            members.append(("ProvisionedThroughput", .object(JSONObject([
                ("NumberOfDecreasesToday", .number("0")),
                ("ReadCapacityUnits", .number(String(throughput.readCapacityUnits))),
                ("WriteCapacityUnits", .number(String(throughput.writeCapacityUnits))),
            ]))))
        }
        members.append(("IndexSizeBytes", .number(String(statistics?.size ?? 0))))
        members.append(("ItemCount", .number(String(statistics?.count ?? 0))))
        members.append(("IndexArn", .string(index.arn)))
        return .object(JSONObject(members))
    }

    /// A key schema as DynamoDB lists it: every HASH attribute, then every RANGE attribute, in key-schema order.
    static func keySchema(_ schema: KeySchema) -> JSONValue {
        func element(_ attribute: KeyAttribute, _ keyType: String) -> JSONValue {
            .object(JSONObject([("AttributeName", .string(attribute.name)), ("KeyType", .string(keyType))]))
        }
        return .array(schema.partitionKeys.map { element($0, "HASH") } + schema.sortKeys.map { element($0, "RANGE") })
    }

    static func throughput(_ definition: TableDefinition) -> JSONValue {
        let throughput = definition.provisionedThroughput
        var members: [(key: String, value: JSONValue)] = []
        if let increased = throughput.lastIncreaseDateTime {
            members.append(("LastIncreaseDateTime", .number(timestamp(increased))))
        }
        if let decreased = throughput.lastDecreaseDateTime {
            members.append(("LastDecreaseDateTime", .number(timestamp(decreased))))
        }
        members.append(("NumberOfDecreasesToday", .number(String(throughput.numberOfDecreasesToday))))
        members.append(("ReadCapacityUnits", .number(String(throughput.readCapacityUnits))))
        members.append(("WriteCapacityUnits", .number(String(throughput.writeCapacityUnits))))
        return .object(JSONObject(members))
    }

    /// Epoch seconds with millisecond precision, as DynamoDB's JSON timestamps carry them.
    static func timestamp(_ seconds: Double) -> String {
        let milliseconds = Int64((seconds * 1000).rounded())
        let whole = milliseconds / 1000
        let fraction = milliseconds % 1000
        if fraction == 0 { return String(whole) }
        var digits = String(fraction)
        while digits.count < 3 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    private static func region(of arn: String) -> String {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 3 ? String(parts[3]) : "us-east-1"
    }

    private static func account(of arn: String) -> String {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 4 ? String(parts[4]) : "000000000000"
    }
}
