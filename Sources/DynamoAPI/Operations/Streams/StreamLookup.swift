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

    /// Where a page starting after shard `exclusiveStart` begins. Shards are listed in id order (ids begin with
    /// their creation time), so a shard that is gone or never existed still has a place: DynamoDB answers such an
    /// `ExclusiveStartShardId` with the shards after it, none when it sorts after them all, and no error.
    static func position(after exclusiveStart: String, in shards: [StreamShard]) -> Int {
        if let position = shards.firstIndex(where: { $0.id == exclusiveStart }) { return position + 1 }
        return shards.firstIndex { $0.id > exclusiveStart } ?? shards.endIndex
    }

    /// The sequence numbers an AT_ or AFTER_SEQUENCE_NUMBER iterator may name in a shard: its
    /// `SequenceNumberRange` as DescribeStream reports it. An open shard's range has no end yet (DescribeStream
    /// gives it no `EndingSequenceNumber`), and its `StartingSequenceNumber` is valid before any record has taken it
    /// (readers start from it as soon as the stream is enabled); a closed shard ends at its last record, or where
    /// it started if it took none.
    static func shardRange(_ shard: StreamShard) -> ClosedRange<UInt64> {
        // One below the largest number, so that AFTER_SEQUENCE_NUMBER's next position still fits.
        guard shard.isClosed else { return shard.startingSequence...(UInt64.max - 1) }
        return shard.startingSequence...max(shard.startingSequence, shard.endingSequence ?? shard.startingSequence)
    }

    /// The most streams (ListStreams) or shards (DescribeStream) one call returns, and the default.
    static let maximumListLimit: Int64 = 100

    /// `Limit` of the listing operations: 1 to 100. Both operations document "The upper limit is 100", and
    /// ListStreams with 101 is refused with ValidationException (checked against DynamoDB by ScyllaDB's suite), as
    /// GetRecords refuses more than its documented 1,000.
    static func readListLimit(_ reader: inout InputReader) throws(DynamoError) -> Int {
        let limit = try reader.integer("Limit")
        if let limit {
            reader.validate(limit >= 1, value: String(limit), at: "limit", "Member must have value greater than or equal to 1")
            reader.validate(limit <= maximumListLimit, value: String(limit), at: "limit",
                            "Member must have value less than or equal to \(maximumListLimit)")
        }
        return Int(min(max(limit ?? maximumListLimit, 1), maximumListLimit))
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
