import DynamoModel

/// One record of the write-ahead log: an item change or a control-plane change.
///
/// payload := kind: u8 · body
///   1 item:    account · region · tableName · tableId · sequence: u64 · timestamp: f64 · partition: bytes · sort: bytes
///              · hasNewImage: u8 · [newImage: item]
///   2 table created or updated: account · region · definition
///   3 table deleted: account · region · tableName · tableId
///   4 transaction:   count: u32 · (item body as in kind 1)*    applied all together or not at all
///   5 streamed item: item body as in kind 1 · origin: u8 · streamSequence: u64 · hasOldImage: u8 · [oldImage: item]
///                    (a change a table's stream took: recovery rebuilds its stream record from it; a streamed
///                    transaction's changes that no stream took carry streamSequence 0)
///   6 streamed transaction: count: u32 · (streamed item body as in kind 5)*
package enum LogRecord: Sendable {
    case item(ChangeRecord)
    case transaction([ChangeRecord])
    case tableDefinition(Namespace, TableDefinition)
    case tableDeleted(Namespace, name: String, tableId: String)

    func encode(into writer: inout BinaryWriter) {
        switch self {
        case .item(let change):
            let streamed = change.streamSequence != nil
            writer.u8(streamed ? 5 : 1)
            Self.encodeItem(change, streamed: streamed, into: &writer)
        case .transaction(let changes):
            let streamed = changes.contains { $0.streamSequence != nil }
            writer.u8(streamed ? 6 : 4)
            writer.u32(UInt32(changes.count))
            for change in changes { Self.encodeItem(change, streamed: streamed, into: &writer) }
        case .tableDefinition(let namespace, let definition):

            writer.u8(2)
            writer.string(namespace.accountId)
            writer.string(namespace.region)
            TableDefinitionCoding.encode(definition, into: &writer)
        case .tableDeleted(let namespace, let name, let tableId):
            writer.u8(3)
            writer.string(namespace.accountId)
            writer.string(namespace.region)
            writer.string(name)
            writer.string(tableId)
        }
    }

    static func encodeItem(_ change: ChangeRecord, streamed: Bool, into writer: inout BinaryWriter) {
        writer.string(change.namespace.accountId)
        writer.string(change.namespace.region)
        writer.string(change.tableName)
        writer.string(change.tableId)
        writer.u64(change.sequenceNumber)
        writer.f64(change.timestamp)
        writer.data(change.key.partition)
        writer.data(change.key.sort)
        writer.bool(change.newImage != nil)
        if let image = change.newImage { writer.item(image) }
        guard streamed else { return }
        writer.u8(change.origin.rawValue)
        writer.u64(change.streamSequence ?? 0)
        writer.bool(change.oldImage != nil)
        if let image = change.oldImage { writer.item(image) }
    }

    static func decodeItem(_ reader: inout BinaryReader, streamed: Bool) throws(BinaryReader.Malformed) -> ChangeRecord {
        let namespace = Namespace(accountId: try reader.string(), region: try reader.string())
        let tableName = try reader.string()
        let tableId = try reader.string()
        let sequence = try reader.u64()
        let timestamp = try reader.f64()
        let key = EncodedKey(partition: try reader.data(), sort: try reader.data())
        let image = try reader.bool() ? try reader.item() : nil
        var change = ChangeRecord(namespace: namespace, tableName: tableName, tableId: tableId, key: key,
                                  oldImage: nil, newImage: image, sequenceNumber: sequence, timestamp: timestamp)
        guard streamed else { return change }
        change.origin = ChangeOrigin(rawValue: try reader.u8()) ?? .request
        let streamSequence = try reader.u64()
        change.streamSequence = streamSequence == 0 ? nil : streamSequence
        change.oldImage = try reader.bool() ? try reader.item() : nil
        return change
    }

    static func decode(_ reader: inout BinaryReader) throws(BinaryReader.Malformed) -> LogRecord {
        let kind = try reader.u8()
        switch kind {
        case 1, 5:
            return .item(try decodeItem(&reader, streamed: kind == 5))
        case 4, 6:
            var changes: [ChangeRecord] = []
            for _ in 0..<Int(try reader.u32()) { changes.append(try decodeItem(&reader, streamed: kind == 6)) }
            return .transaction(changes)
        case 2:
            let namespace = Namespace(accountId: try reader.string(), region: try reader.string())
            return .tableDefinition(namespace, try TableDefinitionCoding.decode(&reader))
        case 3:
            let namespace = Namespace(accountId: try reader.string(), region: try reader.string())
            return .tableDeleted(namespace, name: try reader.string(), tableId: try reader.string())
        default:
            throw BinaryReader.Malformed()
        }
    }
}

/// Binary form of a table definition (WAL records and snapshot headers).
enum TableDefinitionCoding {
    static func encode(_ definition: TableDefinition, into writer: inout BinaryWriter) {
        writer.string(definition.name)
        writer.string(definition.tableId)
        writer.string(definition.arn)
        writer.string(definition.keySchema.partitionKey.name)
        writer.string(definition.keySchema.partitionKey.type.rawValue)
        writer.optionalString(definition.keySchema.sortKey?.name)
        writer.optionalString(definition.keySchema.sortKey?.type.rawValue)
        writer.u32(UInt32(definition.attributeDefinitions.count))
        for attribute in definition.attributeDefinitions {
            writer.string(attribute.name)
            writer.string(attribute.type.rawValue)
        }
        writer.string(definition.billingMode.rawValue)
        writer.bool(definition.lastUpdateToPayPerRequestDateTime != nil)
        writer.f64(definition.lastUpdateToPayPerRequestDateTime ?? 0)
        let throughput = definition.provisionedThroughput
        writer.u64(UInt64(bitPattern: throughput.readCapacityUnits))
        writer.u64(UInt64(bitPattern: throughput.writeCapacityUnits))
        writer.f64(throughput.lastIncreaseDateTime ?? -1)
        writer.f64(throughput.lastDecreaseDateTime ?? -1)
        writer.u64(UInt64(bitPattern: throughput.numberOfDecreasesToday))
        writer.string(definition.status.rawValue)
        writer.f64(definition.creationDateTime)
        writer.bool(definition.deletionProtectionEnabled)
        writer.string(definition.tableClass)
        writer.u32(UInt32(definition.tags.count))
        for tag in definition.tags {
            writer.string(tag.key)
            writer.string(tag.value)
        }
        writer.bool(definition.streamEnabled)
        writer.optionalString(definition.streamViewType)
        writer.bool(definition.sseEnabled)
        writer.optionalString(definition.sseType)
        writer.optionalString(definition.kmsMasterKeyId)
        writer.u32(UInt32(definition.allIndexes.count))
        for index in definition.allIndexes { encode(index, into: &writer) }
        // Trailer: fields added after the first format; a definition is always last in its record, so older records
        // simply end before it. Version 1: streams and TTL; version 2 adds point-in-time recovery and the restore
        // summary. The optional blocks (CapacitySettingsCoding, ContributorInsightsCoding, IndexKeysCoding) come last.
        writer.u8(2)
        writer.bool(definition.latestStreamCreationTime != nil)
        writer.f64(definition.latestStreamCreationTime ?? 0)
        writer.optionalString(definition.timeToLiveAttribute)
        writer.bool(definition.pointInTimeRecovery != nil)
        if let recovery = definition.pointInTimeRecovery {
            writer.bool(recovery.enabled)
            writer.u32(UInt32(recovery.recoveryPeriodInDays))
            writer.f64(recovery.enabledDateTime)
        }
        writer.bool(definition.restoreSummary != nil)
        if let summary = definition.restoreSummary {
            writer.optionalString(summary.sourceBackupArn)
            writer.optionalString(summary.sourceTableArn)
            writer.f64(summary.restoreDateTime)
            writer.bool(summary.inProgress)
        }
        CapacitySettingsCoding.encode(definition, into: &writer)
        ContributorInsightsCoding.encode(definition, into: &writer)
        IndexKeysCoding.encode(definition, into: &writer)
    }

    static func encode(_ index: IndexDefinition, into writer: inout BinaryWriter) {
        writer.string(index.name)
        writer.string(index.keySchema.partitionKey.name)
        writer.string(index.keySchema.partitionKey.type.rawValue)
        writer.optionalString(index.keySchema.sortKey?.name)
        writer.optionalString(index.keySchema.sortKey?.type.rawValue)
        writer.string(index.projectionType.rawValue)
        writer.u32(UInt32(index.nonKeyAttributes.count))
        for name in index.nonKeyAttributes { writer.string(name) }
        writer.bool(index.provisionedThroughput != nil)
        writer.u64(UInt64(bitPattern: index.provisionedThroughput?.readCapacityUnits ?? 0))
        writer.u64(UInt64(bitPattern: index.provisionedThroughput?.writeCapacityUnits ?? 0))
        writer.string(index.status)
        writer.bool(index.backfilling)
        writer.bool(index.isGlobal)
        writer.string(index.arn)
    }

    static func decodeIndex(_ reader: inout BinaryReader) throws(BinaryReader.Malformed) -> IndexDefinition {
        func type(_ text: String) throws(BinaryReader.Malformed) -> ScalarAttributeType {
            guard let type = ScalarAttributeType(rawValue: text) else { throw BinaryReader.Malformed() }
            return type
        }
        let name = try reader.string()
        let partition = KeyAttribute(name: try reader.string(), type: try type(try reader.string()))
        let sortName = try reader.optionalString()
        let sortType = try reader.optionalString()
        var sortKey: KeyAttribute?
        if let sortName, let sortType { sortKey = KeyAttribute(name: sortName, type: try type(sortType)) }
        guard let projection = ProjectionType(rawValue: try reader.string()) else { throw BinaryReader.Malformed() }
        var nonKey: [String] = []
        for _ in 0..<Int(try reader.u32()) { nonKey.append(try reader.string()) }
        let hasThroughput = try reader.bool()
        let throughput = ProvisionedThroughput(readCapacityUnits: Int64(bitPattern: try reader.u64()),
                                               writeCapacityUnits: Int64(bitPattern: try reader.u64()))
        let status = try reader.string()
        let backfilling = try reader.bool()
        let isGlobal = try reader.bool()
        var index = IndexDefinition(name: name, keySchema: KeySchema(partitionKey: partition, sortKey: sortKey),
                                    projectionType: projection, nonKeyAttributes: nonKey,
                                    provisionedThroughput: hasThroughput ? throughput : nil, isGlobal: isGlobal,
                                    arn: try reader.string())
        index.status = status
        index.backfilling = backfilling
        return index
    }

    static func decode(_ reader: inout BinaryReader) throws(BinaryReader.Malformed) -> TableDefinition {
        func type(_ text: String) throws(BinaryReader.Malformed) -> ScalarAttributeType {
            guard let type = ScalarAttributeType(rawValue: text) else { throw BinaryReader.Malformed() }
            return type
        }
        let name = try reader.string()
        let tableId = try reader.string()
        let arn = try reader.string()
        let partition = KeyAttribute(name: try reader.string(), type: try type(try reader.string()))
        let sortName = try reader.optionalString()
        let sortType = try reader.optionalString()
        var sortKey: KeyAttribute?
        if let sortName, let sortType { sortKey = KeyAttribute(name: sortName, type: try type(sortType)) }
        var attributes: [KeyAttribute] = []
        for _ in 0..<Int(try reader.u32()) {
            attributes.append(KeyAttribute(name: try reader.string(), type: try type(try reader.string())))
        }
        guard let billing = BillingMode(rawValue: try reader.string()) else { throw BinaryReader.Malformed() }
        let hasPayPerRequestTime = try reader.bool()
        let payPerRequestTime = try reader.f64()
        var throughput = ProvisionedThroughput(readCapacityUnits: Int64(bitPattern: try reader.u64()),
                                               writeCapacityUnits: Int64(bitPattern: try reader.u64()))
        let increase = try reader.f64()
        let decrease = try reader.f64()
        throughput.lastIncreaseDateTime = increase < 0 ? nil : increase
        throughput.lastDecreaseDateTime = decrease < 0 ? nil : decrease
        throughput.numberOfDecreasesToday = Int64(bitPattern: try reader.u64())
        guard let status = TableStatus(rawValue: try reader.string()) else { throw BinaryReader.Malformed() }
        var definition = TableDefinition(name: name, tableId: tableId, arn: arn,
                                         keySchema: KeySchema(partitionKey: partition, sortKey: sortKey),
                                         attributeDefinitions: attributes, billingMode: billing,
                                         provisionedThroughput: throughput, creationDateTime: try reader.f64())
        definition.status = status
        definition.lastUpdateToPayPerRequestDateTime = hasPayPerRequestTime ? payPerRequestTime : nil
        definition.deletionProtectionEnabled = try reader.bool()
        definition.tableClass = try reader.string()
        for _ in 0..<Int(try reader.u32()) { definition.tags.append((try reader.string(), try reader.string())) }
        definition.streamEnabled = try reader.bool()
        definition.streamViewType = try reader.optionalString()
        definition.sseEnabled = try reader.bool()
        definition.sseType = try reader.optionalString()
        definition.kmsMasterKeyId = try reader.optionalString()
        for _ in 0..<Int(try reader.u32()) {
            let index = try decodeIndex(&reader)
            if index.isGlobal { definition.globalSecondaryIndexes.append(index) } else { definition.localSecondaryIndexes.append(index) }
        }
        let trailerVersion = reader.isAtEnd ? 0 : try reader.u8()
        if trailerVersion >= 1 {
            let hasStream = try reader.bool()
            let streamCreation = try reader.f64()
            definition.latestStreamCreationTime = hasStream ? streamCreation : nil
            definition.timeToLiveAttribute = try reader.optionalString()
        }
        if trailerVersion >= 2 {
            if try reader.bool() {
                definition.pointInTimeRecovery = PointInTimeRecoverySettings(
                    enabled: try reader.bool(), recoveryPeriodInDays: Int(try reader.u32()), enabledDateTime: try reader.f64())
            }
            if try reader.bool() {
                definition.restoreSummary = RestoreSummary(
                    sourceBackupArn: try reader.optionalString(), sourceTableArn: try reader.optionalString(),
                    restoreDateTime: try reader.f64(), inProgress: try reader.bool())
            }
        }
        // Optional blocks, each behind its tag; older files end before them.
        while !reader.isAtEnd {
            switch try reader.u8() {
            case CapacitySettingsCoding.tag: try CapacitySettingsCoding.decode(&reader, into: &definition)
            case ContributorInsightsCoding.tag: try ContributorInsightsCoding.decode(&reader, into: &definition)
            case IndexKeysCoding.tag: try IndexKeysCoding.decode(&reader, into: &definition)
            case IndexKeysCoding.warmTag: try IndexKeysCoding.decodeWarm(&reader, into: &definition)
            default: throw BinaryReader.Malformed()
            }
        }
        return definition
    }
}
