import DynamoModel
import JSON
import Storage

/// GetShardIterator: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER positions in one shard.
enum GetShardIterator {
    static let types = ["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"]

    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try reader.string("StreamArn")
        let shardId = try reader.string("ShardId")
        let type = try reader.string("ShardIteratorType")
        let sequenceText = try reader.string("SequenceNumber")
        StreamLookup.validateStreamArn(arn, into: &reader)
        StreamLookup.validateShardId(shardId, at: "shardId", required: true, into: &reader)
        if type == nil { reader.require(false, at: "shardIteratorType") }
        reader.validateEnum(type, at: "shardIteratorType", allowed: types)
        if let sequenceText {
            reader.validate(sequenceText.utf8.count >= 21, value: sequenceText, at: "sequenceNumber",
                            "Member must have length greater than or equal to 21")
            reader.validate(sequenceText.utf8.count <= 40, value: sequenceText, at: "sequenceNumber",
                            "Member must have length less than or equal to 40")
        }
        try reader.throwValidationErrors()
        guard let arn, let shardId, let type else { throw .validation("Missing required parameters") }
        _ = try StreamArn.require(arn)
        var requested: UInt64?
        if type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER" {
            guard let sequenceText else {
                throw .validation("Must specify a sequence number with AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER")
            }
            guard let parsed = StreamSequenceNumber.parse(sequenceText) else {
                throw .validation("Invalid SequenceNumber: \(sequenceText)")
            }
            requested = parsed
        } else if sequenceText != nil {
            // The API reference ties SequenceNumber to the two sequence-number types; DynamoDB refuses it with
            // TRIM_HORIZON or LATEST (ValidationException, checked by ScyllaDB's suite against DynamoDB).
            throw .validation("Must not specify a sequence number with TRIM_HORIZON or LATEST")
        }

        let store = try StreamLookup.store(context)
        let position = try store.read { (streams: [String: TableStream]) throws(DynamoError) -> UInt64 in
            let stream = try StreamLookup.stream(arn, in: streams, context: context)
            guard let shard = stream.shard(shardId) else { throw StreamLookup.shardNotFound }
            switch type {
            case "TRIM_HORIZON":
                return shard.records.first?.sequence ?? shard.nextSequence
            case "LATEST":
                return shard.nextSequence
            default:
                guard let requested, StreamLookup.shardRange(shard).contains(requested) else {
                    throw .validation("Invalid SequenceNumber: \(sequenceText ?? "") is not in the range of shard \(shardId)")
                }
                if requested <= shard.trimmedThrough { throw StreamLookup.trimmed }
                return type == "AT_SEQUENCE_NUMBER" ? requested : requested + 1
            }
        }
        let token = ShardIteratorToken(streamArn: arn, shardId: shardId, position: position,
                                       issuedAtMilliseconds: UInt64(max(0, context.now * 1000)))
        return .object(JSONObject([("ShardIterator", .string(token.text))]))
    }
}
