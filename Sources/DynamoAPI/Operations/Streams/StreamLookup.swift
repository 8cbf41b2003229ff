import DynamoModel
import Storage

/// Finds streams and shards for the DynamoDB Streams operations, worded as DynamoDB words a miss.
enum StreamLookup {
    /// The store behind the Streams operations (always wired by the server).
    static func store(_ context: RequestContext) throws(DynamoError) -> StreamStore {
        guard let streams = context.streams else { throw .internalServerError("Streams are not available") }
        return streams
    }

    static func streamNotFound(_ arn: String) -> DynamoError {
        DynamoError(.resourceNotFound, "Requested resource not found: Stream: \(arn) not found")
    }

    static let shardNotFound = DynamoError(.resourceNotFound, "Requested resource not found: Shard does not exist")

    static let trimmed = DynamoError(.trimmedDataAccess, "The data you are trying to access has been trimmed")

    /// The caller's stream with this ARN.
    static func stream(_ arn: String, in streams: [String: TableStream], context: RequestContext) throws(DynamoError) -> TableStream {
        guard let stream = streams[arn], stream.namespace == context.namespace else { throw streamNotFound(arn) }
        return stream
    }

    /// The last sequence number a shard holds or will hold so far (nil: none yet).
    static func lastSequence(of shard: StreamShard) -> UInt64? {
        if shard.isClosed { return shard.endingSequence }
        let next = shard.nextSequence
        return next > shard.startingSequence ? next - 1 : nil
    }

    /// `Limit` of the listing operations: at least 1; DynamoDB returns at most 100 whatever is asked.
    static func readListLimit(_ reader: inout InputReader) throws(DynamoError) -> Int {
        let limit = try reader.integer("Limit")
        if let limit {
            reader.validate(limit >= 1, value: String(limit), at: "limit", "Member must have value greater than or equal to 1")
        }
        return Int(min(max(limit ?? 100, 1), 100))
    }

    /// A `StreamArn` member's constraints (botocore: 37 to 1,024 characters).
    static func validateStreamArn(_ arn: String?, into reader: inout InputReader) {
        guard let arn else {
            reader.require(false, at: "streamArn")
            return
        }
        reader.validate(arn.utf8.count >= 37, value: arn, at: "streamArn", "Member must have length greater than or equal to 37")
        reader.validate(arn.utf8.count <= 1024, value: arn, at: "streamArn", "Member must have length less than or equal to 1024")
    }

    /// A `ShardId` member's constraints (botocore: 28 to 65 characters).
    static func validateShardId(_ id: String?, at path: String, required: Bool, into reader: inout InputReader) {
        guard let id else {
            if required { reader.require(false, at: path) }
            return
        }
        reader.validate(id.utf8.count >= 28, value: id, at: path, "Member must have length greater than or equal to 28")
        reader.validate(id.utf8.count <= 65, value: id, at: path, "Member must have length less than or equal to 65")
    }
}
