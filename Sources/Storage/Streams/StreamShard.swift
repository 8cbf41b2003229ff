/// One shard of a stream: a run of records in sequence order; closed once a child shard takes over.
package struct StreamShard: Sendable {
    package var id: String
    package var parentId: String?
    /// Seconds since the epoch.
    package var createdAt: Double
    /// The sequence number of the shard's first record (the next one to be given out while it has none).
    package var startingSequence: UInt64
    /// Records not yet trimmed, oldest first.
    package var records: [StreamRecord] = []
    /// The last record's sequence number once the shard is closed (nil: open, or closed without records).
    package var endingSequence: UInt64?
    package var isClosed = false
    /// Whether the shard ever took a record (trimming does not change it).
    package var hasTakenRecords = false
    /// Records up to and including this sequence number were trimmed.
    package var trimmedThrough: UInt64 = 0

    /// A shard id in DynamoDB's shape: `shardId-` · 20-digit creation milliseconds · `-` · 8 hex digits.
    static func makeId(createdAt: Double, seed: String) -> String {
        let milliseconds = String(UInt64(max(0, createdAt * 1000)))
        var hash: UInt32 = 2_166_136_261
        for byte in seed.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16)
        return "shardId-" + String(repeating: "0", count: max(0, 20 - milliseconds.count)) + milliseconds + "-"
            + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The sequence number after the shard's last record: where LATEST starts.
    package var nextSequence: UInt64 { (records.last?.sequence).map { $0 + 1 } ?? max(startingSequence, trimmedThrough + 1) }

    /// The position of the first record with a sequence number at or above `sequence` (binary search: records are
    /// in sequence order).
    package func firstIndex(atOrAfter sequence: UInt64) -> Int {
        var low = records.startIndex
        var high = records.endIndex
        while low < high {
            let middle = (low + high) / 2
            if records[middle].sequence < sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Drops records older than `cutoff` (seconds since the epoch).
    mutating func trim(before cutoff: Double) {
        let expired = records.prefix { $0.timestamp < cutoff }
        guard let last = expired.last else { return }
        trimmedThrough = last.sequence
        records.removeFirst(expired.count)
    }
}
