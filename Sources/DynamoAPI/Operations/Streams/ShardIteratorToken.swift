import DynamoModel
import JSON

/// A shard iterator: the stream ARN, then (base64) the shard, the next sequence number to read and when the
/// iterator was issued. Self-contained, so iterators survive restarts until they expire.
struct ShardIteratorToken {
    var streamArn: String
    var shardId: String
    /// The first sequence number GetRecords returns.
    var position: UInt64
    /// Milliseconds since the epoch.
    var issuedAtMilliseconds: UInt64

    static let invalid = DynamoError.validation("Invalid ShardIterator")

    var text: String {
        let payload = "\(shardId)|\(position)|\(issuedAtMilliseconds)"
        return "\(streamArn)|1|\(Base64.encode(Array(payload.utf8)))"
    }

    static func parse(_ text: String) throws(DynamoError) -> ShardIteratorToken {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        // An iterator names its stream: one whose ARN is not a stream ARN was never issued here.
        guard parts.count == 3, parts[1] == "1", StreamArn.parse(String(parts[0])) != nil,
              let bytes = Base64.decode(String(parts[2])) else { throw invalid }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 3, let position = UInt64(fields[1]), let issued = UInt64(fields[2]) else { throw invalid }
        return ShardIteratorToken(streamArn: String(parts[0]), shardId: String(fields[0]), position: position,
                                  issuedAtMilliseconds: issued)
    }
}
