/// Why a request's signature was refused. The server maps each case to DynamoDB's error type; `message` is
/// DynamoDB's text for it.
package enum SigV4Error: Error, Sendable, Equatable {
    /// No `Authorization` header and no presigned query (`MissingAuthenticationTokenException`).
    case missingAuthenticationToken(message: String)
    /// Authorization present but malformed or incomplete (`IncompleteSignatureException`).
    case incompleteSignature(message: String)
    /// Signature mismatch, bad scope, or expired (`InvalidSignatureException`).
    case invalidSignature(message: String)
    /// Unknown access key or security token (`UnrecognizedClientException`).
    case unrecognizedClient(message: String)
}
