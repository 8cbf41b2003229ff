import DynamoModel
import JSON
import Storage

/// UpdateTable: billing mode, provisioned throughput, deletion protection, stream and SSE settings, table class.
/// Index changes (`GlobalSecondaryIndexUpdates`) arrive with secondary-index support.
enum UpdateTable {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let billingMode = try reader.string("BillingMode")
        let throughput = try ThroughputInput.read(input["ProvisionedThroughput"])
        let deletionProtection = try reader.boolean("DeletionProtectionEnabled")
        let tableClass = try reader.string("TableClass")
        let stream = try StreamSpecificationInput.read(input["StreamSpecification"])
        let sse = try SSESpecificationInput.read(input["SSESpecification"])
        let indexUpdates = try reader.array("GlobalSecondaryIndexUpdates")
        let attributeDefinitions = try AttributeDefinitionsInput.read(input["AttributeDefinitions"])
        let onDemandThroughput = try OnDemandThroughputInput.read(input["OnDemandThroughput"])
        let warmThroughput = try WarmThroughputInput.read(input["WarmThroughput"])

        attributeDefinitions?.validate(into: &reader, at: "attributeDefinitions")
        reader.validateTableNameOrArn(tableName, at: "tableName")
        throughput?.validate(into: &reader, at: "provisionedThroughput")
        reader.validateEnum(billingMode, at: "billingMode", allowed: ["PROVISIONED", "PAY_PER_REQUEST"])
        reader.validateEnum(tableClass, at: "tableClass", allowed: ["STANDARD", "STANDARD_INFREQUENT_ACCESS"])
        stream?.validate(into: &reader, at: "streamSpecification")
        sse?.validate(into: &reader, at: "sSESpecification")
        try reader.throwValidationErrors()
        guard let tableName else { throw .validation("Missing TableName") }

        if throughput == nil && billingMode == nil && stream == nil && (indexUpdates?.isEmpty ?? true) && sse == nil
            && deletionProtection == nil && tableClass == nil && onDemandThroughput == nil && warmThroughput == nil {
            throw .validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                + "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")
        }
        if warmThroughput != nil {
            try checkWarmThroughputAlone(indexUpdates: indexUpdates, others: [
                throughput != nil, billingMode != nil, stream != nil, sse != nil, deletionProtection != nil,
                tableClass != nil, onDemandThroughput != nil,
            ])
        }
        if billingMode == "PROVISIONED" && throughput == nil {
            throw .validation("One or more parameter values were invalid: ProvisionedThroughput must be specified "
                + "when BillingMode is PROVISIONED")
        }
        if let read = throughput?.readCapacityUnits, let write = throughput?.writeCapacityUnits {
            try ThroughputInput.checkBounds(read: read, write: write)
        }
        try stream?.checkUpdateConsistency()
        if stream != nil, let indexUpdates, !indexUpdates.isEmpty {
            throw .validation("One or more parameter values were invalid: You cannot create or delete index while "
                + "changing stream status")
        }
        try onDemandThroughput?.check()
        let table = try TableLookup.table(tableName, in: context, wording: .table)
        if let indexUpdates, !indexUpdates.isEmpty {
            try attributeDefinitions?.checkNoDuplicates()
            return try GlobalIndexUpdates.apply(indexUpdates, definitions: attributeDefinitions?.attributes,
                                                to: table, context: context)
        }
        let now = context.now
        let switchInterval = context.settings.capacity.billingModeSwitchIntervalSeconds
        var updated = table.definition
        try table.updateDefinition { (definition: inout TableDefinition) throws(DynamoError) in
            if definition.status != .active {
                throw DynamoError(.resourceInUse, "Attempt to change a resource which is still in use: Table is "
                    + "being \(definition.status == .creating ? "created" : "updated"): \(definition.name)")
            }
            try apply(billingMode: billingMode, throughput: throughput, to: &definition, now: now,
                      switchIntervalSeconds: switchInterval)
            if let onDemandThroughput {
                definition.onDemandThroughput = onDemandThroughput.applied(to: definition.onDemandThroughput)
            }
            if let warmThroughput {
                let current = WarmThroughputInput.effective(definition.warmThroughput,
                                                            provisioned: definition.provisionedThroughput)
                definition.warmThroughput = try warmThroughput.applied(to: current)
            }
            if let deletionProtection { definition.deletionProtectionEnabled = deletionProtection }
            if let tableClass { definition.tableClass = tableClass }
            if let stream { try apply(stream: stream, to: &definition, now: now) }
            if let sse {
                definition.sseEnabled = sse.enabled ?? definition.sseEnabled
                if let type = sse.type { definition.sseType = type }
                if let key = sse.kmsMasterKeyId { definition.kmsMasterKeyId = key }
            }
            updated = definition
        }
        ProvisioningObserver.observe(updated, namespace: context.namespace, meter: context.meter, now: now)
        return .object(JSONObject([
            ("TableDescription", TableDescriptionWriter.describe(updated, itemCount: table.itemCount,
                                                                 sizeInBytes: table.sizeInBytes,
                encryptedAtRest: context.settings.encryptionAtRest)),
        ]))
    }

    /// DynamoDB changes warm throughput in a request of its own: with an index creation, or with any other table
    /// change, it is refused.
    static func checkWarmThroughputAlone(indexUpdates: [JSONValue]?, others: [Bool]) throws(DynamoError) {
        let creates = (indexUpdates ?? []).contains { update in
            if case .object(let object) = update, object["Create"] != nil { return true }
            return false
        }
        if creates {
            throw .validation("One or more parameter values were invalid: Create global secondary index cannot be "
                + "specified when updating WarmThroughput")
        }
        if others.contains(true) {
            throw .validation("One or more parameter values were invalid: WarmThroughput must be the only operation in "
                + "the request")
        }
    }

    /// Billing-mode switches and throughput changes, with DynamoDB's rules and its change bookkeeping.
    static func apply(billingMode: String?, throughput: ThroughputInput?, to definition: inout TableDefinition,
                      now: Double, switchIntervalSeconds: Double = 86_400) throws(DynamoError) {
        let targetMode: BillingMode = billingMode.flatMap(BillingMode.init(rawValue:)) ?? definition.billingMode
        if targetMode == .payPerRequest {
            if throughput != nil {
                throw .validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                    + "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
            }
            if definition.billingMode != .payPerRequest {
                // DynamoDB allows a switch to on-demand once in 24 hours (configurable here for tests).
                if let last = definition.lastUpdateToPayPerRequestDateTime, now - last < switchIntervalSeconds {
                    throw DynamoError(.limitExceeded, "Subscriber limit exceeded: Update to PayPerRequest mode are "
                        + "limited to once in 1 day(s).")
                }
                definition.billingMode = .payPerRequest
                definition.lastUpdateToPayPerRequestDateTime = now
                definition.provisionedThroughput = ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0)
            }
            return
        }
        guard let throughput, let read = throughput.readCapacityUnits, let write = throughput.writeCapacityUnits else {
            return
        }
        let current = definition.provisionedThroughput
        if definition.billingMode == .provisioned && read == current.readCapacityUnits
            && write == current.writeCapacityUnits {
            throw .validation("The provisioned throughput for the table will not change. The requested value equals "
                + "the current value. Current ReadCapacityUnits provisioned for the table: \(current.readCapacityUnits). "
                + "Requested ReadCapacityUnits: \(read). Current WriteCapacityUnits provisioned for the table: "
                + "\(current.writeCapacityUnits). Requested WriteCapacityUnits: \(write). Refer to the Amazon DynamoDB "
                + "Developer Guide for current limits and how to request higher limits.")
        }
        var next = current
        next.readCapacityUnits = read
        next.writeCapacityUnits = write
        if definition.billingMode == .provisioned {
            if read > current.readCapacityUnits || write > current.writeCapacityUnits { next.lastIncreaseDateTime = now }
            if read < current.readCapacityUnits || write < current.writeCapacityUnits {
                next.lastDecreaseDateTime = now
                next.numberOfDecreasesToday += 1
            }
        }
        definition.billingMode = .provisioned
        definition.provisionedThroughput = next
    }

    /// Stream settings: enabling an enabled stream or disabling a disabled one is refused, as in DynamoDB.
    /// Enabling starts a new stream (a new label and ARN); disabling keeps the old one readable for its retention.
    static func apply(stream: StreamSpecificationInput, to definition: inout TableDefinition,
                      now: Double) throws(DynamoError) {
        if stream.enabled == true {
            if definition.streamEnabled {
                throw .validation("Table already has an enabled stream: TableName: \(definition.name)")
            }
            guard let viewType = stream.viewType else {
                throw .validation("One or more parameter values were invalid: If stream is being enabled then "
                    + "UpdateViewType is required")
            }
            definition.streamEnabled = true
            definition.streamViewType = viewType
            definition.latestStreamCreationTime = now
        } else {
            if !definition.streamEnabled {
                throw .validation("Table has no stream to disable: TableName: \(definition.name)")
            }
            definition.streamEnabled = false
            definition.streamViewType = nil
        }
    }
}
