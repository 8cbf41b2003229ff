/// Failures of catalog operations; DynamoAPI maps them to DynamoDB's errors (it knows the wording context).
package enum StorageError: Error, Sendable, Equatable {
    case tableAlreadyExists(String)
    case tableNotFound(String)
}
