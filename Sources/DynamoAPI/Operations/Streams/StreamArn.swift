import DynamoModel

/// A stream ARN taken apart: `arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL`, the shape DynamoDB gives
/// every stream (`LatestStreamArn`, `ListStreams`).
///
/// DynamoDB Streams answers a StreamArn that does not have this shape with ValidationException "Invalid StreamArn"
/// (its text as SDKs print it: "Invalid StreamArn (Service: AmazonDynamoDBStreams; Status Code: 400; Error Code:
/// ValidationException"), and a well-formed ARN naming no stream with ResourceNotFoundException.
struct StreamArn: Equatable {
    var partition: String
    var region: String
    var accountId: String
    var tableName: String
    var label: String

    static let invalid = DynamoError.validation("Invalid StreamArn")

    /// The parts of `text`, or nil when it is not a stream ARN.
    static func parse(_ text: String) -> StreamArn? {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, parts[2] == "dynamodb", !parts[3].isEmpty,
              !parts[4].isEmpty else { return nil }
        let resource = parts[5].split(separator: "/", omittingEmptySubsequences: false)
        guard resource.count == 4, resource[0] == "table", resource[2] == "stream", !resource[3].isEmpty,
              isTableName(resource[1]) else { return nil }
        return StreamArn(partition: String(parts[1]), region: String(parts[3]), accountId: String(parts[4]),
                         tableName: String(resource[1]), label: String(resource[3]))
    }

    /// The parts of `text`, or DynamoDB's ValidationException for a malformed ARN.
    static func require(_ text: String) throws(DynamoError) -> StreamArn {
        guard let arn = parse(text) else { throw invalid }
        return arn
    }

    /// DynamoDB's table-name rule: 3 to 255 of `[a-zA-Z0-9_.-]`.
    private static func isTableName(_ name: Substring) -> Bool {
        guard (3...255).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }
}
