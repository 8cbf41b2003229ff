import DynamoModel
import Expressions
import JSON

/// `ExpressionAttributeNames` and `ExpressionAttributeValues` of a request: decoded once, shared by all of the
/// request's expressions, and checked for unused entries after they are all parsed.
struct ExpressionParameters {
    var names: [String: String]?
    var values: [String: AttributeValue]?

    static func read(_ input: JSONObject) throws(DynamoError) -> ExpressionParameters {
        ExpressionParameters(names: try CommonParameters.stringMap(input["ExpressionAttributeNames"]),
                             values: try CommonParameters.valueMap(input["ExpressionAttributeValues"]))
    }

    /// DynamoDB refuses names or values when the request has no expression at all.
    func validate(into reader: inout InputReader, usesNames: Bool, usesValues: Bool) {
        if values != nil && !usesValues {
            reader.addViolation("ExpressionAttributeValues can only be specified when using expressions")
        }
        if names != nil && !usesNames {
            reader.addViolation("ExpressionAttributeNames can only be specified when using expressions")
        }
    }

    /// The shared, usage-tracking attributes for parsing.
    var attributes: ExpressionAttributes { ExpressionAttributes(names: names, values: values) }
}

/// Refuses a request that mixes legacy and expression parameters, naming both sides as DynamoDB does.
enum ParameterStyle {
    static func checkNotMixed(legacy: [(String, Bool)], expressions: [(String, Bool)]) throws(DynamoError) {
        let legacyNames = legacy.filter(\.1).map(\.0)
        let expressionNames = expressions.filter(\.1).map(\.0)
        guard !legacyNames.isEmpty && !expressionNames.isEmpty else { return }
        throw .validation("Can not use both expression and non-expression parameters in the same request: "
            + "Non-expression parameters: {\(legacyNames.joined(separator: ", "))} Expression parameters: "
            + "{\(expressionNames.joined(separator: ", "))}")
    }
}

/// Decoding of the legacy condition maps (`Expected`, `QueryFilter`, `ScanFilter`, `KeyConditions`).
enum LegacyConditionInput {
    static func read(_ value: JSONValue?) throws(DynamoError) -> [LegacyCondition]? {
        guard let object = try InputReader.object(value) else { return nil }
        var entries: [LegacyCondition] = []
        for member in object.members {
            let entry = try InputReader.object(member.value) ?? JSONObject()
            var list: [AttributeValue]?
            if let elements = try InputReader.array(entry["AttributeValueList"]) {
                var decoded: [AttributeValue] = []
                for element in elements { decoded.append(try AttributeValue(json: element)) }
                list = decoded
            }
            var exists: Bool?
            switch entry["Exists"] {
            case nil, .null?: exists = nil
            case .bool(let flag)?: exists = flag
            case let other?: throw InputReader.typeMismatch(other, expected: "Boolean")
            }
            var value: AttributeValue?
            if let json = entry["Value"], json != .null { value = try AttributeValue(json: json) }
            entries.append(LegacyCondition(attribute: member.key,
                                           comparisonOperator: try InputReader.string(entry["ComparisonOperator"]),
                                           attributeValueList: list, value: value, exists: exists))
        }
        return entries
    }
}
