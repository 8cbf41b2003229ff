import DynamoModel
import Locking
import Synchronization

/// Every table's DynamoDB stream, fed by the change log.
///
/// The store sits in front of the durable store on the change path: it gives each change a stream sequence
/// number, keeps the stream record, and hands the change on (marked with that number, so the write-ahead log
/// keeps what recovery needs to rebuild the record) — all under one lock, so the log's order is the streams' order.
/// Thread safety: one lock guards every stream; it is taken under a table's change-log lock and never calls back
/// into Storage. Lock order: shard → table change log → stream store → write-ahead log.
package final class StreamStore: ChangeSink {
    package let settings: StreamSettings
    private let downstream: (any ChangeSink)?
    private let clock: @Sendable () -> Double
    private let state = Lock(State())
    /// How many streams are enabled: with none, changes pass straight through without taking the lock.
    private let enabledStreams = Atomic<Int>(0)

    struct State {
        /// Streams by ARN, enabled or kept for their retention.
        var streams: [String: TableStream] = [:]
        /// The ARN of each table's enabled stream, by table id.
        var enabled: [String: String] = [:]
    }

    package init(settings: StreamSettings = StreamSettings(), downstream: (any ChangeSink)?,
                 clock: @escaping @Sendable () -> Double) {
        self.settings = settings
        self.downstream = downstream
        self.clock = clock
    }

    // MARK: - ChangeSink

    package func append(_ record: ChangeRecord) {
        if enabledStreams.load(ordering: .acquiring) == 0 {
            downstream?.append(record)
            return
        }
        state.withLock { state in
            let streamed = Self.take(record, into: &state, rolloverSeconds: settings.shardRolloverSeconds)
            downstream?.append(streamed)
        }
    }

    package func appendTransaction(_ records: [ChangeRecord]) {
        if enabledStreams.load(ordering: .acquiring) == 0 {
            downstream?.appendTransaction(records)
            return
        }
        state.withLock { state in
            let streamed = records.map { Self.take($0, into: &state, rolloverSeconds: settings.shardRolloverSeconds) }
            if let downstream { downstream.appendTransaction(streamed) }
        }
    }

    package func tableDefinitionChanged(_ definition: TableDefinition, in namespace: Namespace) {
        let now = clock()
        state.withLock { state in
            Self.follow(definition, in: namespace, now: now, into: &state)
            enabledStreams.store(state.enabled.count, ordering: .releasing)
            downstream?.tableDefinitionChanged(definition, in: namespace)
        }
    }

    package func tableDeleted(named name: String, tableId: String, in namespace: Namespace) {
        let now = clock()
        state.withLock { state in
            Self.disableStream(ofTable: tableId, at: now, in: &state)
            enabledStreams.store(state.enabled.count, ordering: .releasing)
            downstream?.tableDeleted(named: name, tableId: tableId, in: namespace)
        }
    }

    package func awaitDurability() -> Bool { downstream?.awaitDurability() ?? true }

    package func notifyWhenDurable(_ done: @escaping @Sendable (Bool) -> Void) {
        guard let downstream else { return done(true) }
        downstream.notifyWhenDurable(done)
    }

    // MARK: - The change path

    /// Adds the stream record of a change when its table has an enabled stream and the change changed the item;
    /// returns the change marked with its stream sequence number.
    private static func take(_ change: ChangeRecord, into state: inout State, rolloverSeconds: Double) -> ChangeRecord {
        guard let arn = state.enabled[change.tableId], !ItemEquality.same(change.oldImage, change.newImage),
              var stream = state.streams[arn] else { return change }
        // Recovery hands in changes the loaded snapshot already holds: they are skipped, by sequence number.
        if let sequence = change.streamSequence, sequence < stream.nextSequence { return change }
        var marked = change
        state.streams[arn] = nil
        marked.streamSequence = stream.append(change, rolloverSeconds: rolloverSeconds)
        state.streams[arn] = stream
        return marked
    }

    /// Opens a stream when a definition enables one this store does not have; disables the table's stream when
    /// the definition has none.
    private static func follow(_ definition: TableDefinition, in namespace: Namespace, now: Double, into state: inout State) {
        guard definition.streamEnabled, let created = definition.latestStreamCreationTime,
              let viewType = definition.streamViewType.flatMap(StreamViewType.init(rawValue:)) else {
            disableStream(ofTable: definition.tableId, at: now, in: &state)
            return
        }
        let stream = TableStream(namespace: namespace, definition: definition, viewType: viewType, creationTime: created)
        if state.enabled[definition.tableId] == stream.arn { return }
        disableStream(ofTable: definition.tableId, at: now, in: &state)
        if state.streams[stream.arn] == nil { state.streams[stream.arn] = stream }
        state.enabled[definition.tableId] = stream.arn
    }

    private static func disableStream(ofTable tableId: String, at time: Double, in state: inout State) {
        guard let arn = state.enabled.removeValue(forKey: tableId) else { return }
        state.streams[arn]?.disable(at: time)
    }

    // MARK: - Recovery

    /// Recovery: a logged table definition (no downstream logging).
    package func restore(_ definition: TableDefinition, in namespace: Namespace) {
        let now = clock()
        state.withLock { state in
            Self.follow(definition, in: namespace, now: now, into: &state)
            enabledStreams.store(state.enabled.count, ordering: .releasing)
        }
    }

    /// Recovery: a logged table deletion.
    package func restoreDeletion(ofTable tableId: String) {
        let now = clock()
        state.withLock { state in
            Self.disableStream(ofTable: tableId, at: now, in: &state)
            enabledStreams.store(state.enabled.count, ordering: .releasing)
        }
    }

    /// Recovery: a logged change that a stream took (skipped when the loaded snapshot already holds it).
    package func replay(_ change: ChangeRecord) {
        guard change.streamSequence != nil else { return }
        state.withLock { _ = Self.take(change, into: &$0, rolloverSeconds: settings.shardRolloverSeconds) }
    }

    /// Recovery: streams loaded from a checkpoint.
    package func load(_ streams: [TableStream]) {
        state.withLock { state in
            for stream in streams {
                state.streams[stream.arn] = stream
                if stream.isEnabled { state.enabled[stream.tableId] = stream.arn }
            }
            enabledStreams.store(state.enabled.count, ordering: .releasing)
        }
    }

    /// Every stream, for a checkpoint.
    package func allStreams() -> [TableStream] {
        state.withLock { Array($0.streams.values) }
    }

    // MARK: - Reading

    /// Runs `body` on the current streams after trimming what retention has expired.
    package func read<T>(_ body: ([String: TableStream]) throws(DynamoError) -> T) throws(DynamoError) -> T {
        let now = clock()
        let retention = settings.retentionSeconds
        return try state.withLock { (state: inout State) throws(DynamoError) -> T in
            for (arn, var stream) in state.streams {
                state.streams[arn] = nil
                stream.trim(now: now, retentionSeconds: retention)
                if let disabledAt = stream.disabledAt, disabledAt < now - retention, stream.shards.allSatisfy(\.records.isEmpty) {
                    continue
                }
                state.streams[arn] = stream
            }
            return try body(state.streams)
        }
    }
}

extension StreamStore {
    /// The stream a trigger follows: the table's enabled stream, else its most recent one. A nil account or region
    /// matches any.
    package func latestStream(ofTable tableName: String, accountId: String?, region: String?) -> TableStream? {
        state.withLock { state in
            state.streams.values
                .filter { $0.tableName == tableName && (accountId == nil || $0.namespace.accountId == accountId)
                    && (region == nil || $0.namespace.region == region) }
                .max { ($0.isEnabled ? 1 : 0, $0.creationTime) < ($1.isEnabled ? 1 : 0, $1.creationTime) }?
                .header
        }
    }

    /// Up to `limit` records with sequence numbers above `sequence`, all from one shard — the oldest shard that has
    /// such records, so a consumer reads parents before children — with that shard's id (nil when the stream is gone).
    package func records(ofStream arn: String, after sequence: UInt64, limit: Int) -> (records: [StreamRecord], shardId: String?)? {
        state.withLock { state -> (records: [StreamRecord], shardId: String?)? in
            guard let stream = state.streams[arn] else { return nil }
            for shard in stream.shards {
                guard let last = shard.records.last, last.sequence > sequence else { continue }
                let start = shard.firstIndex(atOrAfter: sequence + 1)
                return (Array(shard.records[start...].prefix(limit)), shard.id)
            }
            return ([], nil)
        }
    }
}
