import DynamoModel
import Storage

/// Key checks of item operations against the table's schema, worded as each operation words them.
enum ItemKeys {
    /// The encoded key of a full item (PutItem): "Missing the key …", "Type mismatch for key …", empty values.
    static func keyOfItem(_ item: Item, in table: Table) throws(DynamoError) -> EncodedKey {
        try table.keySchema.encodedKey(of: item, source: .putItem)
    }

    /// The encoded key of a full item in BatchWriteItem: "The provided key element does not match the schema".
    static func keyOfBatchItem(_ item: Item, in table: Table) throws(DynamoError) -> EncodedKey {
        try table.keySchema.encodedKey(of: item, source: .keyMap)
    }

    /// The encoded key of a `Key` map (GetItem, DeleteItem, UpdateItem, BatchGetItem): exactly the key attributes.
    static func keyOfKeyMap(_ key: Item, in table: Table) throws(DynamoError) -> EncodedKey {
        try table.keySchema.encodedKey(of: key, source: .keyMap, exactKeyMap: true)
    }
}
