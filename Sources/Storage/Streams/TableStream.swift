import DynamoModel

/// One stream of one table: from the moment it was enabled until it is disabled and its retention has passed.
///
/// Every decision here (record shape, shard rollover) depends only on the changes handed in and their
/// timestamps, so recovery replaying the same changes rebuilds the same shards and sequence numbers.
package struct TableStream: Sendable {
    package var namespace: Namespace
    package var tableName: String
    package var tableId: String
    package var tableArn: String
    package var keySchema: KeySchema
    package var viewType: StreamViewType
    /// Seconds since the epoch: the label and ARN derive from it.
    package var creationTime: Double
    package var isEnabled = true
    /// Seconds since the epoch when the stream was disabled (or its table deleted).
    package var disabledAt: Double?
    /// The next sequence number to give out.
    package var nextSequence: UInt64 = 1
    package var shards: [StreamShard] = []
    /// Shards ever opened (for shard ids).
    package var shardsOpened = 0

    package var label: String { StreamLabel.make(creationTime) }
    package var arn: String { "\(tableArn)/stream/\(label)" }
    /// ENABLED or DISABLED, as DescribeStream and ListStreams report it.
    package var status: String { isEnabled ? "ENABLED" : "DISABLED" }

    package init(namespace: Namespace, definition: TableDefinition, viewType: StreamViewType, creationTime: Double) {
        self.namespace = namespace
        tableName = definition.name
        tableId = definition.tableId
        tableArn = definition.arn
        keySchema = definition.keySchema
        self.viewType = viewType
        self.creationTime = creationTime
        openShard(at: creationTime, parent: nil)
    }

    private mutating func openShard(at time: Double, parent: String?) {
        shardsOpened += 1
        let id = StreamShard.makeId(createdAt: time, seed: "\(tableId)/\(creationTime)/\(shardsOpened)")
        shards.append(StreamShard(id: id, parentId: parent, createdAt: time, startingSequence: nextSequence))
    }

    /// Adds the stream record of a change (which must change the item) and returns its sequence number. A shard
    /// that has taken records for the rollover period is closed first and a child shard opened.
    package mutating func append(_ change: ChangeRecord, rolloverSeconds: Double) -> UInt64 {
        if let current = shards.last, !current.isClosed, current.hasTakenRecords,
           change.timestamp - current.createdAt >= rolloverSeconds {
            closeOpenShard()
            openShard(at: change.timestamp, parent: current.id)
        }
        let sequence = change.streamSequence ?? nextSequence
        nextSequence = sequence + 1
        let eventName: StreamRecord.EventName = change.oldImage == nil ? .insert : change.newImage == nil ? .remove : .modify
        let image = change.newImage ?? change.oldImage ?? [:]
        var keys: Item = [:]
        for name in keySchema.attributeNames { keys[name] = image[name] }
        let record = StreamRecord(sequence: sequence, tableSequence: change.sequenceNumber, timestamp: change.timestamp,
                                  eventName: eventName, origin: change.origin, keys: keys,
                                  newImage: viewType.includesNewImage ? change.newImage : nil,
                                  oldImage: viewType.includesOldImage ? change.oldImage : nil)
        if !shards.isEmpty {
            shards[shards.count - 1].records.append(record)
            shards[shards.count - 1].hasTakenRecords = true
        }
        return sequence
    }

    /// Stops taking records; the open shard closes.
    package mutating func disable(at time: Double) {
        guard isEnabled else { return }
        isEnabled = false
        disabledAt = time
        closeOpenShard()
    }

    private mutating func closeOpenShard() {
        guard let position = shards.indices.last, !shards[position].isClosed else { return }
        shards[position].isClosed = true
        shards[position].endingSequence = shards[position].hasTakenRecords ? nextSequence - 1 : nil
    }

    /// Trims records older than the retention period and forgets closed shards with nothing left to read.
    package mutating func trim(now: Double, retentionSeconds: Double) {
        let cutoff = now - retentionSeconds
        for position in shards.indices { shards[position].trim(before: cutoff) }
        shards.removeAll { $0.isClosed && $0.records.isEmpty && $0.createdAt < cutoff }
    }

    /// The stream without its shards: what a reader keeps after the store's lock is released. Holding a full copy
    /// would make the next write copy the open shard's records (copy-on-write).
    package var header: TableStream {
        var copy = self
        copy.shards = []
        return copy
    }

    /// The shard with this id, if it is still kept.
    package func shard(_ id: String) -> StreamShard? { shards.first { $0.id == id } }
}
