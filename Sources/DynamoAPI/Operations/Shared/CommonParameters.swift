import DynamoModel
import JSON

/// Parameters shared by item operations, with their enumerations as DynamoDB lists them in messages.
enum CommonParameters {
    static let returnValues = ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]
    static let returnConsumedCapacity = ["INDEXES", "TOTAL", "NONE"]
    static let returnItemCollectionMetrics = ["SIZE", "NONE"]
    static let returnValuesOnConditionCheckFailure = ["ALL_OLD", "NONE"]
    static let conditionalOperator = ["AND", "OR"]

    /// Decodes an item-valued member (`Item`, `Key`); nil when absent.
    static func item(_ value: JSONValue?) throws(DynamoError) -> Item? {
        switch value {
        case nil, .null?: return nil
        case let json?:
            _ = try InputReader.object(json)
            return try Item.decode(json: json)
        }
    }

    /// A map of strings (`ExpressionAttributeNames`); nil when absent.
    static func stringMap(_ value: JSONValue?) throws(DynamoError) -> [String: String]? {
        guard let object = try InputReader.object(value) else { return nil }
        var map: [String: String] = [:]
        for member in object.members {
            map[member.key] = try InputReader.string(member.value) ?? ""
        }
        return map
    }

    /// A map of attribute values (`ExpressionAttributeValues`); nil when absent.
    static func valueMap(_ value: JSONValue?) throws(DynamoError) -> [String: AttributeValue]? {
        guard value != nil, value != .null else { return nil }
        return try item(value)
    }
}
