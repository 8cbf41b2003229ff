import DynamoModel
import JSON
import Storage

/// GetRecords: up to `Limit` (≤ 1,000) records from an iterator's position, and the iterator for the next call
/// (none once a closed shard has been read to its end).
enum GetRecords {
    static let maximumLimit: Int64 = 1000

    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let iteratorText = try reader.string("ShardIterator")
        let limit = try reader.integer("Limit")
        if let iteratorText {
            reader.validate(!iteratorText.isEmpty, value: iteratorText, at: "shardIterator",
                            "Member must have length greater than or equal to 1")
            reader.validate(iteratorText.utf8.count <= 2048, value: iteratorText, at: "shardIterator",
                            "Member must have length less than or equal to 2048")
        } else {
            reader.require(false, at: "shardIterator")
        }
        if let limit {
            reader.validate(limit >= 1, value: String(limit), at: "limit", "Member must have value greater than or equal to 1")
            reader.validate(limit <= maximumLimit, value: String(limit), at: "limit",
                            "Member must have value less than or equal to 1000")
        }
        try reader.throwValidationErrors()
        guard let iteratorText else { throw .validation("Missing ShardIterator") }
        let iterator = try ShardIteratorToken.parse(iteratorText)
        let store = try StreamLookup.store(context)
        let lifetime = store.settings.iteratorLifetimeSeconds
        if context.now * 1000 - Double(iterator.issuedAtMilliseconds) > lifetime * 1000 {
            throw DynamoError(.expiredIterator, "Iterator expired. The iterator was created more than "
                + "\(Int(lifetime * 1000)) milliseconds ago.")
        }
        let count = Int(limit ?? maximumLimit)
        let (stream, records, next) = try store.read {
            (streams: [String: TableStream]) throws(DynamoError) -> (TableStream, [StreamRecord], UInt64?) in
            let stream = try StreamLookup.stream(iterator.streamArn, in: streams, context: context)
            // A shard past its retention is gone with all its records.
            guard let shard = stream.shard(iterator.shardId) else { throw StreamLookup.trimmed }
            if iterator.position <= shard.trimmedThrough { throw StreamLookup.trimmed }
            let start = shard.firstIndex(atOrAfter: iterator.position)
            let page = Array(shard.records[start...].prefix(count))
            let nextPosition = page.last.map { $0.sequence + 1 } ?? iterator.position
            if shard.isClosed, nextPosition > (shard.endingSequence ?? 0) { return (stream.header, page, nil) }
            return (stream.header, page, nextPosition)
        }
        var output: [(key: String, value: JSONValue)] = [
            ("Records", .array(records.map { StreamRecordWriter.record($0, of: stream) })),
        ]
        if let next {
            let token = ShardIteratorToken(streamArn: iterator.streamArn, shardId: iterator.shardId, position: next,
                                           issuedAtMilliseconds: UInt64(max(0, context.now * 1000)))
            output.append(("NextShardIterator", .string(token.text)))
        }
        return .object(JSONObject(output))
    }
}
