import Capacity
import Storage

/// Tells the usage ledger what capacity a table and its global indexes hold, whenever that may have changed
/// (creation, UpdateTable, auto scaling, deletion, a usage report), so provisioned capacity is billed for the time
/// it was held, used or not.
enum ProvisioningObserver {
    static func observe(_ definition: TableDefinition, namespace: Namespace, meter: CapacityMeter, now: Double,
                        deleted: Bool = false) {
        let table = MeteredResource(accountId: namespace.accountId, region: namespace.region,
                                    tableName: definition.name, tableId: definition.tableId)
        let provisioned = definition.billingMode == .provisioned && !deleted
        let throughput = definition.provisionedThroughput
        meter.ledger.observeProvisioned(table, read: provisioned ? Double(throughput.readCapacityUnits) : 0,
                                        write: provisioned ? Double(throughput.writeCapacityUnits) : 0, now: now)
        for index in definition.globalSecondaryIndexes {
            let held = provisioned ? index.provisionedThroughput : nil
            meter.ledger.observeProvisioned(table.index(index.name), read: Double(held?.readCapacityUnits ?? 0),
                                            write: Double(held?.writeCapacityUnits ?? 0), now: now)
        }
        if deleted {
            meter.forgetBuckets(tableId: definition.tableId)
            meter.hotKeys.forget(tableId: definition.tableId)
        }
    }
}
