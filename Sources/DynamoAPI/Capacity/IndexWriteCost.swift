import Capacity
import DynamoModel
import Storage

/// Write units a table write costs on its secondary indexes, by DynamoDB's rules: an item entering or leaving an
/// index costs one index write, an item whose index key changes costs two (delete the old entry, put the new), an
/// item whose projected attributes change costs one, and an item the write leaves untouched in the index (or that
/// is in it neither before nor after) costs nothing. Each index write is rounded up to 1 KB of the index entry.
enum IndexWriteCost {
    static func add(for definition: TableDefinition, oldItem: Item?, newItem: Item?, to consumed: inout ConsumedCapacity) {
        for index in definition.allIndexes {
            let oldKey = oldItem.flatMap { index.keySchema.encodedKeyIfValid(of: $0) }
            let newKey = newItem.flatMap { index.keySchema.encodedKeyIfValid(of: $0) }
            let oldEntry = oldKey == nil ? nil : oldItem.map { index.project($0, tableKey: definition.keySchema) }
            let newEntry = newKey == nil ? nil : newItem.map { index.project($0, tableKey: definition.keySchema) }
            var units = 0.0
            switch (oldEntry, newEntry) {
            case (nil, nil):
                continue
            case (let old?, nil):
                units = CapacityUnits.write(sizeInBytes: ItemSize.of(old))
            case (nil, let new?):
                units = CapacityUnits.write(sizeInBytes: ItemSize.of(new))
            case (let old?, let new?):
                if oldKey != newKey {
                    units = CapacityUnits.write(sizeInBytes: ItemSize.of(old)) + CapacityUnits.write(sizeInBytes: ItemSize.of(new))
                } else if old != new {
                    units = CapacityUnits.write(oldSizeInBytes: ItemSize.of(old), newSizeInBytes: ItemSize.of(new))
                } else {
                    continue
                }
            }
            consumed.addIndex(index.name, isGlobal: index.isGlobal, units: units)
        }
    }
}
