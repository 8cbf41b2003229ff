import Dispatch
import DynamoModel
import JSON
import Storage

/// The `*Override` members of RestoreTableFromBackup and RestoreTableToPointInTime, as sent.
struct RestoreOverrides {
    var billingMode: String?
    var throughput: ThroughputInput?
    var globalIndexes: [IndexInput]?
    var localIndexes: [IndexInput]?
    var sse: SSESpecificationInput?

    static func read(_ input: JSONObject, into reader: inout InputReader) throws(DynamoError) -> RestoreOverrides {
        let overrides = RestoreOverrides(
            billingMode: try reader.string("BillingModeOverride"),
            throughput: try ThroughputInput.read(input["ProvisionedThroughputOverride"]),
            globalIndexes: try IndexInput.readList(input["GlobalSecondaryIndexOverride"]),
            localIndexes: try IndexInput.readList(input["LocalSecondaryIndexOverride"]),
            sse: try SSESpecificationInput.read(input["SSESpecificationOverride"]))
        reader.validateEnum(overrides.billingMode, at: "billingModeOverride", allowed: ["PROVISIONED", "PAY_PER_REQUEST"])
        overrides.throughput?.validate(into: &reader, at: "provisionedThroughputOverride")
        for (position, index) in (overrides.globalIndexes ?? []).enumerated() {
            index.validate(into: &reader, at: "globalSecondaryIndexOverride.\(position + 1).member")
        }
        for (position, index) in (overrides.localIndexes ?? []).enumerated() {
            index.validate(into: &reader, at: "localSecondaryIndexOverride.\(position + 1).member", isGlobal: false)
        }
        overrides.sse?.validate(into: &reader, at: "sSESpecificationOverride")
        return overrides
    }

    /// The restored table's definition: the source's, renamed, with these overrides. Like DynamoDB, a restore
    /// carries neither tags, streams, TTL nor point-in-time recovery over, and starts without deletion protection.
    func definition(from source: TableDefinition, name: String, context: RequestContext) throws(DynamoError) -> TableDefinition {
        let mode = billingMode.flatMap(BillingMode.init(rawValue:)) ?? source.billingMode
        let provisioned: ProvisionedThroughput
        if throughput != nil || mode != source.billingMode || mode == .payPerRequest {
            provisioned = try ThroughputInput.resolve(throughput, billingMode: mode)
        } else {
            provisioned = ProvisionedThroughput(readCapacityUnits: source.provisionedThroughput.readCapacityUnits,
                                                writeCapacityUnits: source.provisionedThroughput.writeCapacityUnits)
        }
        let arn = Identifiers.tableArn(region: context.namespace.region, accountId: context.namespace.accountId, tableName: name)
        var definition = TableDefinition(name: name, tableId: Identifiers.uuid(), arn: arn, keySchema: source.keySchema,
                                         attributeDefinitions: source.attributeDefinitions, billingMode: mode,
                                         provisionedThroughput: provisioned, creationDateTime: context.now)
        if mode == .payPerRequest { definition.lastUpdateToPayPerRequestDateTime = context.now }
        definition.tableClass = source.tableClass
        // An empty override list restores the table without indexes of that kind.
        let resolved = try IndexInput.resolveAll(global: globalIndexes?.isEmpty == true ? nil : globalIndexes,
                                                 local: localIndexes?.isEmpty == true ? nil : localIndexes,
                                                 tableSchema: source.keySchema,
                                                 definitions: source.attributeDefinitions, tableArn: arn, billingMode: mode)
        definition.globalSecondaryIndexes = globalIndexes == nil
            ? source.globalSecondaryIndexes.map { carried($0, tableArn: arn, mode: mode, tableThroughput: provisioned) }
            : resolved.global
        definition.localSecondaryIndexes = localIndexes == nil
            ? source.localSecondaryIndexes.map { carried($0, tableArn: arn, mode: mode, tableThroughput: provisioned) }
            : resolved.local
        // Attribute definitions a dropped index no longer uses go with it.
        let used = Set(definition.keySchema.attributeNames + definition.allIndexes.flatMap(\.keySchema.attributeNames))
        definition.attributeDefinitions = source.attributeDefinitions.filter { used.contains($0.name) }
        if let sse {
            definition.sseEnabled = sse.enabled == true
            definition.sseType = sse.enabled == true ? (sse.type ?? "KMS") : nil
            definition.kmsMasterKeyId = sse.enabled == true ? sse.kmsMasterKeyId : nil
        } else {
            definition.sseEnabled = source.sseEnabled
            definition.sseType = source.sseType
            definition.kmsMasterKeyId = source.kmsMasterKeyId
        }
        definition.status = .creating
        return definition
    }

    private func carried(_ index: IndexDefinition, tableArn: String, mode: BillingMode,
                         tableThroughput: ProvisionedThroughput) -> IndexDefinition {
        var copy = IndexDefinition(name: index.name, keySchema: index.keySchema, projectionType: index.projectionType,
                                   nonKeyAttributes: index.nonKeyAttributes, provisionedThroughput: nil,
                                   isGlobal: index.isGlobal, arn: "\(tableArn)/index/\(index.name)")
        if index.isGlobal && mode == .provisioned {
            copy.provisionedThroughput = index.provisionedThroughput
                ?? ProvisionedThroughput(readCapacityUnits: tableThroughput.readCapacityUnits,
                                         writeCapacityUnits: tableThroughput.writeCapacityUnits)
        }
        return copy
    }
}

/// Creates a restored table (CREATING, `RestoreInProgress`) and fills it in the background, then makes it ACTIVE.
/// Items are written through the change log, so a restored table is as durable as any other.
enum TableRestore {
    static func start(_ definition: TableDefinition, items: [(key: EncodedKey, item: Item)], context: RequestContext,
                      finished: @escaping @Sendable () -> Void = {}) throws(DynamoError) -> JSONValue {
        if context.catalog.tableNames(in: context.namespace).count >= context.settings.maximumTablesPerNamespace {
            throw DynamoError(.limitExceeded, "Subscriber limit exceeded: There is a limit of "
                + "\(context.settings.maximumTablesPerNamespace) tables per subscriber")
        }
        let table: Table
        do throws(StorageError) {
            table = try context.catalog.createTable(definition, in: context.namespace)
        } catch {
            throw RecoveryErrors.tableAlreadyExists(definition.name)
        }
        let response = JSONValue.object(JSONObject([
            ("TableDescription", TableDescriptionWriter.describe(definition, itemCount: 0, sizeInBytes: 0,
                encryptedAtRest: context.settings.encryptionAtRest)),
        ]))
        let work = RestoreWork(items: items)
        DispatchQueue.global().async { [table] in
            for entry in work.items {
                guard let key = table.encodedKey(of: entry.item) else { continue }
                table.write(key) { _ in WriteDecision.put(entry.item) }
            }
            table.updateDefinition { definition in
                definition.status = .active
                definition.restoreSummary?.inProgress = false
            }
            finished()
        }
        return response
    }

    /// The items a background restore writes (handed over once, never shared).
    private final class RestoreWork: @unchecked Sendable {
        let items: [(key: EncodedKey, item: Item)]
        init(items: [(key: EncodedKey, item: Item)]) { self.items = items }
    }
}
