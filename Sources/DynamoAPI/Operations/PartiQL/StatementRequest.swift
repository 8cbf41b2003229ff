import DynamoModel
import JSON
import PartiQL

/// One statement of a PartiQL request with its parameters: parsed, its `?` count matched against `Parameters`.
struct StatementRequest {
    var text: String
    var parameters: [AttributeValue]
    var parsed: ParsedStatement
    var returnValuesOnFailure: String?
    var consistentRead: Bool

    var statement: Statement { parsed.statement }
    var binder: ValueBinder { ValueBinder(parameters: parameters) }

    /// Reads `Parameters` (a list of attribute values) and parses the statement.
    static func make(text: String, parameters json: JSONValue?, returnValuesOnFailure: String? = nil,
                     consistentRead: Bool = false) throws(DynamoError) -> StatementRequest {
        try make(text: text, parameters: try decodeParameters(json), returnValuesOnFailure: returnValuesOnFailure,
                 consistentRead: consistentRead)
    }

    /// `Parameters` as attribute values (with the attribute-value messages: nesting, unconvertible numbers, ...).
    static func decodeParameters(_ json: JSONValue?) throws(DynamoError) -> [AttributeValue] {
        var parameters: [AttributeValue] = []
        try ParameterCheck.check(try InputReader.array(json) ?? [])
        for element in try InputReader.array(json) ?? [] {
            parameters.append(try AttributeValue(json: element))
        }
        return parameters
    }

    static func make(text: String, parameters: [AttributeValue], returnValuesOnFailure: String? = nil,
                     consistentRead: Bool = false) throws(DynamoError) -> StatementRequest {
        let parsed = try StatementParser.parse(text)
        guard parsed.parameterCount == parameters.count else {
            throw DynamoError.validation("Number of parameters in request and statement don't match.")
        }
        return StatementRequest(text: text, parameters: parameters, parsed: parsed,
                                returnValuesOnFailure: returnValuesOnFailure, consistentRead: consistentRead)
    }

    /// The constraint checks every statement member shares (`Statement`, `Parameters`), at `prefix`.
    static func validate(_ text: String?, parameters: JSONValue?, at prefix: String, into reader: inout InputReader) {
        guard let text else {
            reader.require(false, at: prefix + "statement")
            return
        }
        reader.validate(!text.isEmpty, value: text, at: prefix + "statement", "Member must have length greater than or equal to 1")
        reader.validate(text.utf8.count <= 8192, value: text, at: prefix + "statement",
                        "Member must have length less than or equal to 8192")
        if case .array(let elements)? = parameters, elements.isEmpty {
            reader.validate(false, value: "[]", at: prefix + "parameters", "Member must have length greater than or equal to 1")
        }
    }
}
