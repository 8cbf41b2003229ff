import Capacity
import DynamoModel
import JSON
import Storage

/// Item collections of tables with local secondary indexes: DynamoDB's 10 GB limit per partition key value and
/// the `ItemCollectionMetrics` a write returns when asked.
enum ItemCollections {
    /// Refuses a write that would grow the partition's collection past the limit.
    static func checkLimit(table: Table, key: EncodedKey, oldItem: Item?, newItem: Item?,
                           settings: APISettings) throws(DynamoError) {
        guard table.hasLocalIndexes, let newItem else { return }
        let growth = ItemSize.of(newItem) - (oldItem.map(ItemSize.of) ?? 0)
        if growth > 0 && table.itemCollectionSize(partition: key.partition) + growth > settings.itemCollectionLimitBytes {
            throw DynamoError(.itemCollectionSizeLimitExceeded, "Collection size exceeded.")
        }
    }

    /// `ItemCollectionMetrics` for `ReturnItemCollectionMetrics: SIZE` on a table with local indexes.
    static func metrics(_ mode: String?, table: Table, item: Item?) -> (key: String, value: JSONValue)? {
        guard mode == "SIZE", table.hasLocalIndexes, let item,
              let partitionValue = item[table.keySchema.partitionKey.name] else { return nil }
        let bytes = table.itemCollectionSize(partition: KeyEncoding.encode(partitionValue))
        let gigabytes = Double(bytes) / Double(1 << 30)
        let lower = gigabytes.rounded(.down)
        return ("ItemCollectionMetrics", .object(JSONObject([
            ("ItemCollectionKey", .object(JSONObject([(table.keySchema.partitionKey.name, partitionValue.json)]))),
            ("SizeEstimateRangeGB", .array([.number(CapacityUnits.format(lower)),
                                            .number(CapacityUnits.format(lower + 1))])),
        ])))
    }
}
