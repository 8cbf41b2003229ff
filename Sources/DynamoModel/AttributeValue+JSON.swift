import JSON

/// Conversion between DynamoDB's JSON attribute-value form (`{"S": "x"}`) and `AttributeValue`.
/// TODO(model helper): implement, with DynamoDB's exact validation messages.
extension AttributeValue {
    /// Decodes `{"S": "..."}` etc.; throws DynamoDB's SerializationException / ValidationException messages.
    package init(json: JSONValue) throws(DynamoError) {
        throw DynamoError.validation("TODO")
    }

    /// The JSON form DynamoDB returns (numbers in canonical text, binaries base64).
    package var json: JSONValue { .null }
}

extension Item {
    /// Decodes an item map (`{"name": {"S": "x"}, ...}`).
    package static func decode(json: JSONValue) throws(DynamoError) -> Item {
        throw DynamoError.validation("TODO")
    }

    /// The JSON object for an item.
    package var json: JSONValue { .object(JSONObject()) }
}
