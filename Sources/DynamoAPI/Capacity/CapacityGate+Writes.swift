import Capacity
import DynamoModel
import Storage

/// Consumption of single-item writes.
extension CapacityGate {
    /// What a write that changed `oldItem` into `newItem` consumed: the larger item on the table, plus each
    /// affected index.
    func writeConsumption(oldItem: Item?, newItem: Item?) -> ConsumedCapacity {
        var consumed = ConsumedCapacity(tableName: snapshot.value.name, dimension: .write)
        consumed.tableUnits = CapacityUnits.write(oldSizeInBytes: oldItem.map(ItemSize.of) ?? 0,
                                                  newSizeInBytes: newItem.map(ItemSize.of) ?? 0)
        IndexWriteCost.add(for: snapshot.value, oldItem: oldItem, newItem: newItem, to: &consumed)
        return consumed
    }

    /// A conditional write whose condition failed still consumes write capacity: the existing item's size (at
    /// least one unit); it writes no index.
    func chargeFailedCondition(existingItem: Item?) {
        var consumed = ConsumedCapacity(tableName: snapshot.value.name, dimension: .write)
        consumed.tableUnits = CapacityUnits.write(oldSizeInBytes: existingItem.map(ItemSize.of) ?? 0, newSizeInBytes: 0)
        charge(consumed)
    }

    /// Runs a single-item write with metering: charges what it consumed, or the failed-condition cost when its
    /// condition failed, and rethrows any error.
    func meteredWrite(_ write: (inout Item?) throws(DynamoError) -> WriteOutcome) throws(DynamoError) -> (WriteOutcome, ConsumedCapacity) {
        var seen: Item?
        do throws(DynamoError) {
            let outcome = try write(&seen)
            let consumed = writeConsumption(oldItem: outcome.oldItem, newItem: outcome.newItem)
            charge(consumed)
            return (outcome, consumed)
        } catch {
            if error.kind == .conditionalCheckFailed { chargeFailedCondition(existingItem: seen) }
            throw error
        }
    }
}
