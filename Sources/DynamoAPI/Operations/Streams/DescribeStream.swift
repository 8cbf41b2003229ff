import DynamoModel
import JSON
import Storage

/// DescribeStream: a stream's status, view type, key schema and shards (with their sequence ranges and parents),
/// paged by shard.
enum DescribeStream {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try reader.string("StreamArn")
        let exclusiveStart = try reader.string("ExclusiveStartShardId")
        let filter = try reader.object("ShardFilter")
        let limit = try StreamLookup.readListLimit(&reader)
        let filterType = try InputReader.string(filter?["Type"])
        let filterShard = try InputReader.string(filter?["ShardId"])
        StreamLookup.validateStreamArn(arn, into: &reader)
        StreamLookup.validateShardId(exclusiveStart, at: "exclusiveStartShardId", required: false, into: &reader)
        // A filter is a parent shard and what to find for it: the one filter type, CHILD_SHARDS, needs both.
        if filter != nil {
            reader.require(filterType != nil, at: "shardFilter.type")
            reader.validateEnum(filterType, at: "shardFilter.type", allowed: ["CHILD_SHARDS"])
            StreamLookup.validateShardId(filterShard, at: "shardFilter.shardId", required: true, into: &reader)
        }
        try reader.throwValidationErrors()
        guard let arn else { throw .validation("Missing StreamArn") }
        _ = try StreamArn.require(arn)

        let store = try StreamLookup.store(context)
        // Shards are rendered under the lock: a copy of their records kept past it would cost the next write a copy.
        let (stream, page, more) = try store.read {
            (streams: [String: TableStream]) throws(DynamoError) -> (TableStream, [(id: String, json: JSONValue)], Bool) in
            let stream = try StreamLookup.stream(arn, in: streams, context: context)
            var shards = stream.shards
            if filterType == "CHILD_SHARDS", let filterShard { shards = shards.filter { $0.parentId == filterShard } }
            let start = exclusiveStart.map { StreamLookup.position(after: $0, in: shards) } ?? shards.startIndex
            let page = shards[start...].prefix(limit)
            return (stream.header, page.map { ($0.id, shard($0)) }, start + page.count < shards.count)
        }
        var description: [(key: String, value: JSONValue)] = [
            ("StreamArn", .string(stream.arn)),
            ("StreamLabel", .string(stream.label)),
            ("StreamStatus", .string(stream.status)),
            ("StreamViewType", .string(stream.viewType.rawValue)),
            ("CreationRequestDateTime", .number(TableDescriptionWriter.timestamp(stream.creationTime))),
            ("TableName", .string(stream.tableName)),
            ("KeySchema", TableDescriptionWriter.keySchema(stream.keySchema)),
            ("Shards", .array(page.map(\.json))),
        ]
        if let last = page.last, more {
            description.append(("LastEvaluatedShardId", .string(last.id)))
        }
        return .object(JSONObject([("StreamDescription", .object(JSONObject(description)))]))
    }

    static func shard(_ shard: StreamShard) -> JSONValue {
        var range: [(key: String, value: JSONValue)] = [
            ("StartingSequenceNumber", .string(StreamSequenceNumber.string(shard.startingSequence))),
        ]
        if shard.isClosed {
            // A shard closed before it took a record ends where it starts.
            let ending = shard.endingSequence ?? shard.startingSequence
            range.append(("EndingSequenceNumber", .string(StreamSequenceNumber.string(ending))))
        }
        var members: [(key: String, value: JSONValue)] = [
            ("ShardId", .string(shard.id)),
            ("SequenceNumberRange", .object(JSONObject(range))),
        ]
        if let parent = shard.parentId { members.append(("ParentShardId", .string(parent))) }
        return .object(JSONObject(members))
    }
}
