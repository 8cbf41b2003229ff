import DynamoModel

/// What a tagging operation's `ResourceArn` names, checked in DynamoDB's order and worded as DynamoDB words each
/// refusal (TagResource, UntagResource and ListTagsOfResource share it):
/// 1. text that does not start with `arn:` (a bare table name, say): ValidationException "One or more parameter
///    values were invalid: ARNs must start with 'arn:': TEXT";
/// 2. an ARN without six parts or of another service: AccessDeniedException "Access is denied" (the caller is
///    authorized against the resource before its shape is looked at further);
/// 3. a DynamoDB ARN of an index: "... Invalid resource arn provided, only table or stream is accepted. Provided
///    resource arn: ARN"; of anything else but a table or stream (a backup, an export): "... Provided Arn is not a
///    DynamoDB resource arn: ARN";
/// 4. another account: AccessDeniedException; another region (or partition): "Invalid TableArn: Invalid
///    ResourceArn provided as input ARN".
/// A stream ARN passes these checks; no tags are kept on streams here, so it is answered like a missing table.
enum TaggingArn: Equatable {
    case table(name: String)
    case stream

    private static let parameterPrefix = "One or more parameter values were invalid: "

    static func resolve(_ arn: String, region: String, accountId: String) throws(DynamoError) -> TaggingArn {
        guard arn.hasPrefix("arn:") else {
            throw .validation(parameterPrefix + "ARNs must start with 'arn:': \(arn)")
        }
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "dynamodb" else { throw accessDenied }
        let resource = parts[5].split(separator: "/", omittingEmptySubsequences: false)
        let named: TaggingArn
        switch (resource.first, resource.count) {
        case ("table"?, 2): named = .table(name: String(resource[1]))
        case ("table"?, 4) where resource[2] == "stream": named = .stream
        case ("table"?, 4) where resource[2] == "index":
            throw .validation(parameterPrefix + "Invalid resource arn provided, only table or stream is accepted. "
                + "Provided resource arn: \(arn)")
        default:
            throw .validation(parameterPrefix + "Provided Arn is not a DynamoDB resource arn: \(arn)")
        }
        guard parts[4] == accountId else { throw accessDenied }
        guard parts[1] == "aws", parts[3] == region, named != .table(name: "") else {
            throw .validation("Invalid TableArn: Invalid ResourceArn provided as input \(arn)")
        }
        return named
    }

    static let accessDenied = DynamoError(.accessDenied, "Access is denied")

    static func notFound(_ arn: String) -> DynamoError {
        DynamoError(.resourceNotFound, "Requested resource not found: ResourceArn: \(arn) not found")
    }
}
