import DynamoModel

/// DynamoDB's messages for statements it refuses, in one place.
enum StatementError {
    /// "Statement wasn't well formed, can't be processed: DETAIL" (DETAIL may be empty, as DynamoDB sends it).
    static func notWellFormed(_ detail: String) -> DynamoError {
        .validation("Statement wasn't well formed, can't be processed: \(detail)")
    }

    /// A token left after a complete statement.
    static let unexpectedToken = notWellFormed("Unexpected token after expression")

    static let aliasing = DynamoError.validation("Aliasing is not supported")
    static let incompleteKey = DynamoError.validation("Where clause does not contain a mandatory equality on all key attributes")
    static let parameterCount = DynamoError.validation("Number of parameters in request and statement don't match.")
    static let emptyBag = DynamoError.validation("Empty bags are not supported")
    static let missingNotWithIs = DynamoError.validation("MISSING must be compared using IS operator")
    static let unexpectedFromSource = DynamoError.validation("Unexpected from source")
    static let invalidPathDot = notWellFormed("Invalid path dot component")
    static let whereNotBoolean = DynamoError.validation("WHERE clause must contain an expression that resolves to a boolean")
    static let returningInInsert = DynamoError.validation("RETURNING is not supported in INSERT")
    static let starAndOthers = DynamoError.validation("Other attributes should not be present in the projection when '*' is used.")

    static func unrecognizedFunction(_ name: String, at token: StatementToken) -> DynamoError {
        .validation("Unrecognized function: \(name.lowercased()) at \(token.position)")
    }
}
