import Capacity
import DynamoModel
import JSON
import Storage

/// One table's throughput for one request: admission before the work (throttling with DynamoDB's errors, so a
/// throttled request changes nothing) and charging after it (the meter's buckets and the usage ledger).
///
/// Provisioned tables and global indexes have buckets at their provisioned rates; local indexes share the table's.
/// On-demand tables have buckets only for the `OnDemandThroughput` maximums that are set.
struct CapacityGate {
    /// The table's definition when the request began (a shared snapshot: copying every field cost more than the
    /// few fields a request reads).
    let snapshot: DefinitionSnapshot
    let resource: MeteredResource
    let meter: CapacityMeter
    let now: Double
    /// The key this request touches, counted by contributor insights (nil when insights are off for it).
    private(set) var insightKey: (partition: String, sort: String?, index: String?)?

    init(table: Table, context: RequestContext) {
        snapshot = table.definitionSnapshot
        resource = Self.resource(of: table, in: context.namespace)
        meter = context.meter
        now = context.now
    }

    /// The table as the meter, the ledger and the hot-key tracker know it.
    static func resource(of table: Table, in namespace: Namespace) -> MeteredResource {
        MeteredResource(accountId: namespace.accountId, region: namespace.region, tableName: table.name,
                        tableId: table.tableId)
    }

    static let tableProvisionedMessage = "The level of configured provisioned throughput for the table was exceeded. "
        + "Consider increasing your provisioning level with the UpdateTable API."
    static let indexProvisionedMessage = "The level of configured provisioned throughput for one or more global "
        + "secondary indexes of the table was exceeded. Consider increasing your provisioning level for the "
        + "under-provisioned global secondary indexes with the UpdateTable API"
    static let tableOnDemandMessage = "Throughput exceeds the current capacity of your table or index. DynamoDB is "
        + "automatically scaling your table or index so please try again shortly. If exceptions persist, check if you "
        + "have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"
    static let indexOnDemandMessage = "Throughput exceeds the current capacity for one or more global secondary "
        + "indexes. DynamoDB is automatically scaling your index so please try again shortly."

    var isOnDemand: Bool { snapshot.value.billingMode == .payPerRequest }

    /// The limit of the table (index nil, or a local index) or of a global index, in one dimension.
    func limit(index indexName: String?, _ dimension: CapacityDimension) -> ThroughputLimit? {
        let settings = meter.settings
        var throughput = snapshot.value.provisionedThroughput
        if let indexName, let index = snapshot.value.globalSecondaryIndexes.first(where: { $0.name == indexName }) {
            guard let provisioned = index.provisionedThroughput else {
                return onDemandLimit(snapshot.value.indexOnDemandThroughput[indexName], dimension)
            }
            throughput = provisioned
        }
        if isOnDemand { return onDemandLimit(snapshot.value.onDemandThroughput, dimension) }
        let units = dimension == .read ? throughput.readCapacityUnits : throughput.writeCapacityUnits
        return ThroughputLimit(unitsPerSecond: Double(units), burstSeconds: settings.burstSeconds)
    }

    private func onDemandLimit(_ maximum: OnDemandThroughput?, _ dimension: CapacityDimension) -> ThroughputLimit? {
        guard isOnDemand, let maximum else { return nil }
        let units = dimension == .read ? maximum.maxReadRequestUnits : maximum.maxWriteRequestUnits
        guard let units, units > 0 else { return nil }
        return ThroughputLimit(unitsPerSecond: Double(units), burstSeconds: meter.settings.onDemandBurstSeconds)
    }

    private func isGlobal(_ name: String?) -> Bool {
        guard let name else { return false }
        return snapshot.value.globalSecondaryIndexes.contains { $0.name == name }
    }

    /// The bucket a read of the table or of `indexName` draws from (local indexes draw from the table's).
    private func readResource(_ indexName: String?) -> MeteredResource {
        isGlobal(indexName) ? resource.index(indexName ?? "") : resource
    }

    /// A copy that counts `key` (an item or a key map; for a Query, the partition key alone) for contributor insights
    /// of the table or of the global index `indexName`, when they are enabled there.
    func keyed(_ key: Item, index indexName: String? = nil) -> CapacityGate {
        guard !snapshot.value.contributorInsights.isEmpty,
              snapshot.value.contributorInsights[indexName ?? ""]?.enabled == true else { return self }
        let schema = indexName.flatMap { name in snapshot.value.globalSecondaryIndexes.first { $0.name == name }?.keySchema }
            ?? snapshot.value.keySchema
        guard let partition = key[schema.partitionKey.name] else { return self }
        var copy = self
        copy.insightKey = (Self.display(partition), schema.sortKey.flatMap { key[$0.name] }.map(Self.display), indexName)
        return copy
    }

    /// A key value as contributor insights show it: the string, the number, or the binary in base64.
    static func display(_ value: AttributeValue) -> String {
        switch value {
        case .s(let text): return text
        case .n(let number): return number.description
        case .b(let bytes): return Base64.encode(bytes)
        default: return String(decoding: JSONWriter.serialize(value.json), as: UTF8.self)
        }
    }

    private func recordInsight(throttled: Bool) {
        guard let insightKey,
              let settings = snapshot.value.contributorInsights[insightKey.index ?? ""], settings.enabled,
              throttled || settings.tracksAccesses else { return }
        let target = insightKey.index.map { resource.index($0) } ?? resource
        meter.hotKeys.record(target, partition: insightKey.partition, sort: insightKey.sort, throttled: throttled, now: now)
    }

    /// Admits a read of the table or an index expected to cost `expectedUnits`, or throws DynamoDB's throttling error.
    func admitRead(index indexName: String?, expectedUnits: Double) throws(DynamoError) {
        let global = isGlobal(indexName) ? indexName : nil
        let demand = CapacityDemand(resource: readResource(indexName), dimension: .read,
                                    limit: limit(index: global, .read), expectedUnits: expectedUnits)
        if let refused = meter.admit([demand], now: now) {
            recordInsight(throttled: true)
            throw throttled(refused)
        }
    }

    /// The refusal of a write expected to cost `expectedUnits` on the table, nil when admitted. Global indexes
    /// with no capacity left hold back the table's writes, as in DynamoDB.
    func refusalOfWrite(expectedUnits: Double) -> DynamoError? {
        var demands = [CapacityDemand(resource: resource, dimension: .write, limit: limit(index: nil, .write),
                                      expectedUnits: expectedUnits)]
        for index in snapshot.value.globalSecondaryIndexes {
            demands.append(CapacityDemand(resource: resource.index(index.name), dimension: .write,
                                          limit: limit(index: index.name, .write), expectedUnits: 1))
        }
        guard let refused = meter.admit(demands, now: now) else { return nil }
        recordInsight(throttled: true)
        return throttled(refused)
    }

    /// Admits a write or throws DynamoDB's throttling error.
    func admitWrite(expectedUnits: Double) throws(DynamoError) {
        if let error = refusalOfWrite(expectedUnits: expectedUnits) { throw error }
    }

    /// Charges what a request consumed to the buckets and records it in the ledger.
    func charge(_ consumed: ConsumedCapacity) {
        recordInsight(throttled: false)
        let dimension = consumed.dimension
        var tableUnits = consumed.tableUnits
        for index in consumed.indexes where !index.isGlobal { tableUnits += index.units }
        // The table's bucket pays for the table and its local indexes; the ledger keeps each resource apart.
        chargeBucket(resource, dimension, units: tableUnits, limit: limit(index: nil, dimension))
        meter.ledger.recordConsumed(resource, dimension, units: consumed.tableUnits, onDemand: isOnDemand, now: now)
        for index in consumed.indexes {
            let indexResource = resource.index(index.name)
            if index.isGlobal {
                chargeBucket(indexResource, dimension, units: index.units, limit: limit(index: index.name, dimension))
            }
            meter.ledger.recordConsumed(indexResource, dimension, units: index.units, onDemand: isOnDemand, now: now)
        }
    }

    private func chargeBucket(_ resource: MeteredResource, _ dimension: CapacityDimension, units: Double,
                              limit: ThroughputLimit?) {
        guard let limit, units > 0 else { return }
        meter.chargeBucket(resource, dimension, units: units, limit: limit, now: now)
    }

    /// DynamoDB's error for a refused demand, with its `ThrottlingReasons`.
    func throttled(_ demand: CapacityDemand) -> DynamoError {
        let onIndex = demand.resource.indexName != nil
        let message: String
        let limitType: String
        if isOnDemand {
            message = onIndex ? Self.indexOnDemandMessage : Self.tableOnDemandMessage
            limitType = "MaxOnDemandThroughputExceeded"
        } else {
            message = onIndex ? Self.indexProvisionedMessage : Self.tableProvisionedMessage
            limitType = "ProvisionedThroughputExceeded"
        }
        let reason = (onIndex ? "Index" : "Table") + (demand.dimension == .read ? "Read" : "Write") + limitType
        let arn = demand.resource.indexName.map { "\(snapshot.value.arn)/index/\($0)" } ?? snapshot.value.arn
        let details = JSONObject([("ThrottlingReasons", .array([
            .object(JSONObject([("reason", .string(reason)), ("resource", .string(arn))])),
        ]))])
        return DynamoError(.provisionedThroughputExceeded, message, details: details)
    }
}
