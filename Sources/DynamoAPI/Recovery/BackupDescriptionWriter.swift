import DynamoModel
import JSON
import Storage

/// Renders backups as DynamoDB does: `BackupDetails`, `BackupDescription` (with the source table's details and
/// features) and `BackupSummary`.
enum BackupDescriptionWriter {
    static func details(_ backup: BackupRecord) -> JSONValue {
        .object(JSONObject([
            ("BackupArn", .string(backup.arn)),
            ("BackupName", .string(backup.name)),
            ("BackupSizeBytes", .number(String(backup.sizeInBytes))),
            ("BackupStatus", .string(backup.status)),
            ("BackupType", .string(backup.type)),
            ("BackupCreationDateTime", .number(TableDescriptionWriter.timestamp(backup.creationDateTime))),
        ]))
    }

    static func description(_ backup: BackupRecord, encryptedAtRest: Bool) -> JSONValue {
        let source = backup.source
        var sourceDetails: [(key: String, value: JSONValue)] = [
            ("TableName", .string(source.name)),
            ("TableId", .string(source.tableId)),
            ("TableArn", .string(source.arn)),
            ("TableSizeBytes", .number(String(backup.sizeInBytes))),
            ("KeySchema", TableDescriptionWriter.keySchema(source.keySchema)),
            ("TableCreationDateTime", .number(TableDescriptionWriter.timestamp(source.creationDateTime))),
            ("ProvisionedThroughput", .object(JSONObject([
                ("ReadCapacityUnits", .number(String(source.provisionedThroughput.readCapacityUnits))),
                ("WriteCapacityUnits", .number(String(source.provisionedThroughput.writeCapacityUnits))),
            ]))),
            ("ItemCount", .number(String(backup.itemCount))),
            ("BillingMode", .string(source.billingMode.rawValue)),
        ]
        if source.billingMode == .payPerRequest {
            sourceDetails.append(("OnDemandThroughput", .object(JSONObject([
                ("MaxReadRequestUnits", .number("-1")), ("MaxWriteRequestUnits", .number("-1")),
            ]))))
        }
        var features: [(key: String, value: JSONValue)] = []
        if !source.localSecondaryIndexes.isEmpty {
            features.append(("LocalSecondaryIndexes", .array(source.localSecondaryIndexes.map { index in
                .object(JSONObject([("IndexName", .string(index.name)),
                                    ("KeySchema", TableDescriptionWriter.keySchema(index.keySchema)),
                                    ("Projection", projection(index))]))
            })))
        }
        if !source.globalSecondaryIndexes.isEmpty {
            features.append(("GlobalSecondaryIndexes", .array(source.globalSecondaryIndexes.map { index in
                let throughput = index.provisionedThroughput ?? ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0)
                return .object(JSONObject([
                    ("IndexName", .string(index.name)),
                    ("KeySchema", TableDescriptionWriter.keySchema(index.keySchema)),
                    ("Projection", projection(index)),
                    ("ProvisionedThroughput", .object(JSONObject([
                        ("ReadCapacityUnits", .number(String(throughput.readCapacityUnits))),
                        ("WriteCapacityUnits", .number(String(throughput.writeCapacityUnits))),
                    ]))),
                ]))
            })))
        }
        if source.streamEnabled, let viewType = source.streamViewType {
            features.append(("StreamDescription", .object(JSONObject([
                ("StreamEnabled", .bool(true)), ("StreamViewType", .string(viewType)),
            ]))))
        }
        if source.sseEnabled {
            features.append(("SSEDescription", .object(JSONObject([
                ("Status", .string("ENABLED")), ("SSEType", .string(source.sseType ?? "KMS")),
            ]))))
        } else if encryptedAtRest {
            features.append(("SSEDescription", .object(JSONObject([
                ("Status", .string("ENABLED")), ("SSEType", .string("AES256")),
            ]))))
        }
        return .object(JSONObject([
            ("BackupDetails", details(backup)),
            ("SourceTableDetails", .object(JSONObject(sourceDetails))),
            ("SourceTableFeatureDetails", .object(JSONObject(features))),
        ]))
    }

    static func summary(_ backup: BackupRecord) -> JSONValue {
        .object(JSONObject([
            ("TableName", .string(backup.source.name)),
            ("TableId", .string(backup.source.tableId)),
            ("TableArn", .string(backup.source.arn)),
            ("BackupArn", .string(backup.arn)),
            ("BackupName", .string(backup.name)),
            ("BackupCreationDateTime", .number(TableDescriptionWriter.timestamp(backup.creationDateTime))),
            ("BackupStatus", .string(backup.status)),
            ("BackupType", .string(backup.type)),
            ("BackupSizeBytes", .number(String(backup.sizeInBytes))),
        ]))
    }

    private static func projection(_ index: IndexDefinition) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("ProjectionType", .string(index.projectionType.rawValue))]
        if !index.nonKeyAttributes.isEmpty {
            members.append(("NonKeyAttributes", .array(index.nonKeyAttributes.map { JSONValue.string($0) })))
        }
        return .object(JSONObject(members))
    }
}
