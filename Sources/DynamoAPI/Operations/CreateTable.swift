import Dispatch
import DynamoModel
import JSON
import Storage

/// CreateTable: validates the schema, billing and options as DynamoDB does, then adds the table.
enum CreateTable {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let definitions = try AttributeDefinitionsInput.read(input["AttributeDefinitions"])
        let keySchema = try KeySchemaInput.read(input["KeySchema"])
        let billingMode = try reader.string("BillingMode")
        let throughput = try ThroughputInput.read(input["ProvisionedThroughput"])
        let deletionProtection = try reader.boolean("DeletionProtectionEnabled")
        let tableClass = try reader.string("TableClass")
        let stream = try StreamSpecificationInput.read(input["StreamSpecification"])
        let sse = try SSESpecificationInput.read(input["SSESpecification"])
        let tags = try TagRules.read(input["Tags"])
        let globalIndexes = try IndexInput.readList(input["GlobalSecondaryIndexes"])
        let localIndexes = try IndexInput.readList(input["LocalSecondaryIndexes"])
        let onDemandThroughput = try OnDemandThroughputInput.read(input["OnDemandThroughput"])
        let warmThroughput = try WarmThroughputInput.read(input["WarmThroughput"])

        if let definitions {
            definitions.validate(into: &reader, at: "attributeDefinitions")
        } else {
            reader.require(false, at: "attributeDefinitions")
        }
        reader.validateTableNameOrArn(tableName, at: "tableName")
        if let keySchema {
            keySchema.validate(into: &reader, at: "keySchema")
        } else {
            reader.require(false, at: "keySchema")
        }
        throughput?.validate(into: &reader, at: "provisionedThroughput")
        reader.validateEnum(billingMode, at: "billingMode", allowed: ["PROVISIONED", "PAY_PER_REQUEST"])
        reader.validateEnum(tableClass, at: "tableClass", allowed: ["STANDARD", "STANDARD_INFREQUENT_ACCESS"])
        stream?.validate(into: &reader, at: "streamSpecification")
        sse?.validate(into: &reader, at: "sSESpecification")
        // DynamoDB reports global index problems before local ones.
        for (position, index) in (globalIndexes ?? []).enumerated() {
            index.validate(into: &reader, at: "globalSecondaryIndexes.\(position + 1).member")
        }
        for (position, index) in (localIndexes ?? []).enumerated() {
            index.validate(into: &reader, at: "localSecondaryIndexes.\(position + 1).member", isGlobal: false)
        }
        try reader.throwValidationErrors()
        guard let tableName, let definitions, let keySchema else { throw .validation("Missing required parameters") }

        let mode: BillingMode = billingMode == "PAY_PER_REQUEST" ? .payPerRequest : .provisioned
        let provisioned = try ThroughputInput.resolve(throughput, billingMode: mode)
        try definitions.checkNoDuplicates()
        let schema = try keySchema.resolve(definitions: definitions.attributes)
        let indexesGiven = globalIndexes != nil || localIndexes != nil
        if !indexesGiven {
            try TableDefinitionRules.checkDefinitionsUsed(definitions.attributes, keySchema: schema, indexes: [],
                                                          indexesGiven: false)
        }
        let arn = Identifiers.tableArn(region: context.namespace.region, accountId: context.namespace.accountId,
                                       tableName: tableName)
        let indexes = try IndexInput.resolveAll(global: globalIndexes, local: localIndexes, tableSchema: schema,
                                                definitions: definitions.attributes, tableArn: arn, billingMode: mode)
        try TableDefinitionRules.checkDefinitionsUsed(definitions.attributes, keySchema: schema,
                                                      indexes: indexes.global + indexes.local, indexesGiven: indexesGiven)
        try stream?.checkConsistency()
        try onDemandThroughput?.check()
        try warmThroughput?.checkAtLeast(mode == .provisioned ? provisioned : nil)
        for (input, index) in zip(globalIndexes ?? [], indexes.global) {
            try input.warmThroughput?.checkAtLeast(index.provisionedThroughput, indexName: index.name)
        }

        if context.catalog.tableNames(in: context.namespace).count >= context.settings.maximumTablesPerNamespace {
            throw DynamoError(.limitExceeded, "Subscriber limit exceeded: There is a limit of "
                + "\(context.settings.maximumTablesPerNamespace) tables per subscriber")
        }

        var definition = TableDefinition(
            name: tableName, tableId: Identifiers.uuid(), arn: arn,
            keySchema: schema, attributeDefinitions: definitions.attributes, billingMode: mode,
            provisionedThroughput: provisioned, creationDateTime: context.now)
        if mode == .payPerRequest { definition.lastUpdateToPayPerRequestDateTime = context.now }
        definition.deletionProtectionEnabled = deletionProtection ?? false
        definition.tableClass = tableClass ?? "STANDARD"
        definition.tags = try TagRules.forCreateTable(tags)
        definition.globalSecondaryIndexes = indexes.global
        definition.localSecondaryIndexes = indexes.local
        definition.onDemandThroughput = onDemandThroughput?.applied(to: nil)
        definition.warmThroughput = warmThroughput?.requested
        for (input, index) in zip(globalIndexes ?? [], indexes.global) {
            if let warm = input.warmThroughput { definition.indexWarmThroughput[index.name] = warm.requested }
        }
        for index in globalIndexes ?? [] {
            guard let name = index.name, let maximum = index.onDemandThroughput else { continue }
            try maximum.check()
            definition.indexOnDemandThroughput[name] = maximum.applied(to: nil)
        }
        if let stream, stream.enabled == true {
            definition.streamEnabled = true
            definition.streamViewType = stream.viewType
            definition.latestStreamCreationTime = context.now
        }
        if let sse, sse.enabled == true {
            definition.sseEnabled = true
            definition.sseType = sse.type ?? "KMS"
            definition.kmsMasterKeyId = sse.kmsMasterKeyId
        }
        let delay = context.settings.tableCreationDelaySeconds
        if delay > 0 { definition.status = .creating }

        let table: Table
        do throws(StorageError) {
            table = try context.catalog.createTable(definition, in: context.namespace)
        } catch {
            throw DynamoError(.resourceInUse, "Table already exists: \(tableName)")
        }
        ProvisioningObserver.observe(definition, namespace: context.namespace, meter: context.meter, now: context.now)
        if delay > 0 {
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [table] in
                table.updateDefinition { (current: inout TableDefinition) in
                    if current.status == .creating { current.status = .active }
                }
            }
        }
        return .object(JSONObject([
            ("TableDescription", TableDescriptionWriter.describe(definition, itemCount: 0, sizeInBytes: 0,
                encryptedAtRest: context.settings.encryptionAtRest)),
        ]))
    }
}
