import DynamoModel
import Storage

/// Key checks of item operations, delegating to DynamoModel's rules, with the table's schema.
enum ItemKeys {
    /// The encoded key of a full item (PutItem), with DynamoDB's messages for missing, mistyped or empty keys.
    static func keyOfItem(_ item: Item, in table: Table) throws(DynamoError) -> EncodedKey {
        // TODO(merge): call DynamoModel's validatePutItemKey.
        guard let key = table.encodedKey(of: item) else {
            throw .validation("One or more parameter values were invalid: Missing the key in the item")
        }
        return key
    }

    /// The encoded key of a full item in BatchWriteItem, whose key errors all read
    /// "The provided key element does not match the schema" (empty values keep their own message).
    static func keyOfBatchItem(_ item: Item, in table: Table) throws(DynamoError) -> EncodedKey {
        // TODO(merge): empty-value check via DynamoModel.
        guard let key = table.encodedKey(of: item) else {
            throw .validation("The provided key element does not match the schema")
        }
        return key
    }

    /// The encoded key of a `Key` map (GetItem, DeleteItem, UpdateItem): exactly the key attributes.
    static func keyOfKeyMap(_ key: Item, in table: Table) throws(DynamoError) -> EncodedKey {
        // TODO(merge): call DynamoModel's validateKeyMap.
        guard key.count == table.definition.keySchema.attributeNames.count, let encoded = table.encodedKey(of: key) else {
            throw .validation("The provided key element does not match the schema")
        }
        return encoded
    }
}
