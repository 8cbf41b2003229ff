import JSON

/// An error as DynamoDB reports it on the wire: a type (with its full `__type` prefix), an HTTP status and a
/// message. This file alone spells the prefixes.
package struct DynamoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every exception SwiftDynamo can answer with, named as AWS names them.
    package enum Kind: String, Sendable, Equatable, CaseIterable {
        // com.amazon.coral.service
        case serialization = "SerializationException"
        case unknownOperation = "UnknownOperationException"
        case missingAuthenticationToken = "MissingAuthenticationTokenException"
        case incompleteSignature = "IncompleteSignatureException"
        case invalidSignature = "InvalidSignatureException"
        case unrecognizedClient = "UnrecognizedClientException"
        case accessDenied = "AccessDeniedException"
        case throttling = "ThrottlingException"
        case internalFailure = "InternalFailure"
        case serviceUnavailable = "ServiceUnavailable"
        case requestEntityTooLarge = "RequestEntityTooLarge"
        // com.amazon.coral.validate
        case validation = "ValidationException"
        // com.amazonaws.dynamodb.v20120810
        case resourceNotFound = "ResourceNotFoundException"
        case resourceInUse = "ResourceInUseException"
        case limitExceeded = "LimitExceededException"
        case conditionalCheckFailed = "ConditionalCheckFailedException"
        case provisionedThroughputExceeded = "ProvisionedThroughputExceededException"
        case requestLimitExceeded = "RequestLimitExceeded"
        case itemCollectionSizeLimitExceeded = "ItemCollectionSizeLimitExceededException"
        case transactionCanceled = "TransactionCanceledException"
        case transactionConflict = "TransactionConflictException"
        case transactionInProgress = "TransactionInProgressException"
        case idempotentParameterMismatch = "IdempotentParameterMismatchException"
        case duplicateItem = "DuplicateItemException"
        case backupNotFound = "BackupNotFoundException"
        case backupInUse = "BackupInUseException"
        case tableNotFound = "TableNotFoundException"
        case tableAlreadyExists = "TableAlreadyExistsException"
        case tableInUse = "TableInUseException"
        case continuousBackupsUnavailable = "ContinuousBackupsUnavailableException"
        case pointInTimeRecoveryUnavailable = "PointInTimeRecoveryUnavailableException"
        case invalidRestoreTime = "InvalidRestoreTimeException"
        case exportNotFound = "ExportNotFoundException"
        case invalidExportTime = "InvalidExportTimeException"
        case exportConflict = "ExportConflictException"
        case importConflict = "ImportConflictException"
        case importNotFound = "ImportNotFoundException"
        case expiredIterator = "ExpiredIteratorException"
        case trimmedDataAccess = "TrimmedDataAccessException"
        case internalServerError = "InternalServerError"

        /// The namespace DynamoDB puts before the name in `__type`.
        package var prefix: String {
            switch self {
            case .serialization, .unknownOperation, .missingAuthenticationToken, .incompleteSignature,
                 .invalidSignature, .unrecognizedClient, .accessDenied, .throttling, .internalFailure,
                 .serviceUnavailable, .requestEntityTooLarge:
                return "com.amazon.coral.service#"
            case .validation:
                return "com.amazon.coral.validate#"
            default:
                return "com.amazonaws.dynamodb.v20120810#"
            }
        }

        /// The full `__type` value.
        package var wireType: String { prefix + rawValue }

        /// The HTTP status DynamoDB answers with.
        package var httpStatus: Int {
            switch self {
            case .internalServerError, .internalFailure: return 500
            case .serviceUnavailable: return 503
            case .requestEntityTooLarge: return 413
            default: return 400
            }
        }

        /// DynamoDB spells the message member `Message` for a few coral-service errors and `message` elsewhere.
        package var messageKey: String {
            switch self {
            case .serialization: return "Message"
            default: return "message"
            }
        }
    }

    package var kind: Kind
    /// The message, byte for byte DynamoDB's; nil when DynamoDB sends none.
    package var message: String?

    /// Extra members of the error document (e.g. `Item` of a ConditionalCheckFailedException).
    package var details: JSONObject?

    package init(_ kind: Kind, _ message: String?, details: JSONObject? = nil) {
        self.kind = kind
        self.message = message
        self.details = details
    }

    package var description: String { "\(kind.rawValue): \(message ?? "")" }

    // MARK: - Constructors for the common cases

    /// A `ValidationException` with the given message.
    package static func validation(_ message: String) -> DynamoError { DynamoError(.validation, message) }

    /// "Requested resource not found", DynamoDB's wording for a missing table on item operations.
    package static let requestedResourceNotFound = DynamoError(.resourceNotFound, "Requested resource not found")

    /// `ResourceNotFoundException` naming the table, as DescribeTable/DeleteTable/UpdateTable word it.
    package static func tableNotFound(_ name: String) -> DynamoError {
        DynamoError(.resourceNotFound, "Requested resource not found: Table: \(name) not found")
    }

    /// The message for a failed condition on a single-item write.
    package static let conditionalCheckFailed = DynamoError(.conditionalCheckFailed, "The conditional request failed")

    /// An internal error: never a crash, never a fake success.
    package static func internalServerError(_ detail: String = "Internal server error") -> DynamoError {
        DynamoError(.internalServerError, detail)
    }
}
