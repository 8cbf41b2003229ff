import DynamoModel
import JSON

/// The per-statement error codes of BatchExecuteStatement responses and transaction cancellation reasons
/// (botocore's BatchStatementErrorCodeEnum): the exception's name without "Exception".
enum StatementErrorCodes {
    static func code(for error: DynamoError) -> String {
        switch error.kind {
        case .conditionalCheckFailed: return "ConditionalCheckFailed"
        case .duplicateItem: return "DuplicateItem"
        case .resourceNotFound: return "ResourceNotFound"
        case .itemCollectionSizeLimitExceeded: return "ItemCollectionSizeLimitExceeded"
        case .provisionedThroughputExceeded: return "ProvisionedThroughputExceeded"
        case .requestLimitExceeded: return "RequestLimitExceeded"
        case .transactionConflict: return "TransactionConflict"
        case .throttling: return "ThrottlingError"
        case .accessDenied: return "AccessDenied"
        case .internalServerError, .internalFailure: return "InternalServerError"
        default: return "ValidationError"
        }
    }

    /// `{"Code": …, "Message": …}` (with `Item` when ReturnValuesOnConditionCheckFailure asked for it).
    static func errorObject(_ error: DynamoError) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("Code", .string(code(for: error))),
                                                          ("Message", .string(error.message ?? ""))]
        if let item = error.details?["Item"] { members.append(("Item", item)) }
        return .object(JSONObject(members))
    }
}
