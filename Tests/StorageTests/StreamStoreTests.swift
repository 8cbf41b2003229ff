import DynamoModel
import Synchronization
import Testing
@testable import Storage

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let seconds: Mutex<Double>
    init(_ start: Double) { seconds = Mutex(start) }
    var now: Double { seconds.withLock { $0 } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}

@Suite("Streams: sequence numbers, view types, rollover, trimming, recovery")
struct StreamStoreTests {
    static let namespace = Namespace(accountId: "123456789012", region: "us-east-1")

    static func definition(viewType: StreamViewType?, created: Double = 1000) -> TableDefinition {
        var definition = DurabilityTests.definition()
        definition.arn = "arn:aws:dynamodb:us-east-1:123456789012:table/t"
        if let viewType {
            definition.streamEnabled = true
            definition.streamViewType = viewType.rawValue
            definition.latestStreamCreationTime = created
        }
        return definition
    }

    /// A catalog whose writes go through a stream store; the table has a stream of `viewType`.
    static func make(_ viewType: StreamViewType, settings: StreamSettings = StreamSettings(),
                     clock: ManualClock = ManualClock(1000)) throws -> (StreamStore, Table) {
        let (store, catalog) = makeCatalog(settings: settings, clock: clock)
        return (store, try catalog.createTable(definition(viewType: viewType), in: namespace))
    }

    static func makeCatalog(settings: StreamSettings = StreamSettings(), clock: ManualClock) -> (StreamStore, Catalog) {
        let store = StreamStore(settings: settings, downstream: nil, clock: { clock.now })
        return (store, Catalog(shardCount: 2, changeSink: store, clock: { clock.now }))
    }

    static func put(_ table: Table, _ pk: String, _ value: Int) throws {
        let item: Item = ["pk": .s(pk), "v": .n(DynamoNumber(value))]
        table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
    }

    static func delete(_ table: Table, _ pk: String) throws {
        table.write(try #require(table.encodedKey(of: ["pk": .s(pk)]))) { _ in .delete }
    }

    static func onlyStream(_ store: StreamStore) throws -> TableStream {
        let streams = store.allStreams()
        #expect(streams.count == 1)
        return try #require(streams.first)
    }

    static func records(_ stream: TableStream) -> [StreamRecord] { stream.shards.flatMap(\.records) }

    @Test func test_changes_get_increasing_sequence_numbers_and_event_names() throws {
        let (store, table) = try Self.make(.newAndOldImages)
        try Self.put(table, "a", 1)
        try Self.put(table, "a", 2)
        try Self.delete(table, "a")
        let records = Self.records(try Self.onlyStream(store))
        #expect(records.map(\.eventName) == [.insert, .modify, .remove])
        #expect(records.map(\.sequence) == [1, 2, 3])
        #expect(records[1].oldImage?["v"] == .n(DynamoNumber(1)))
        #expect(records[1].newImage?["v"] == .n(DynamoNumber(2)))
        #expect(records[2].keys == ["pk": .s("a")])
    }

    @Test func test_view_types_keep_only_their_images() throws {
        for viewType in StreamViewType.allCases {
            let (store, table) = try Self.make(viewType)
            try Self.put(table, "a", 1)
            try Self.put(table, "a", 2)
            let modify = try #require(Self.records(try Self.onlyStream(store)).last)
            #expect((modify.newImage != nil) == (viewType == .newImage || viewType == .newAndOldImages))
            #expect((modify.oldImage != nil) == (viewType == .oldImage || viewType == .newAndOldImages))
            #expect(modify.keys == ["pk": .s("a")])
        }
    }

    @Test func test_a_write_that_changes_nothing_writes_no_record() throws {
        let (store, table) = try Self.make(.keysOnly)
        try Self.put(table, "a", 1)
        try Self.put(table, "a", 1)
        try Self.delete(table, "missing")
        #expect(Self.records(try Self.onlyStream(store)).count == 1)
    }

    @Test func test_a_set_written_back_in_another_order_is_no_change() throws {
        let (store, table) = try Self.make(.keysOnly)
        let first: Item = ["pk": .s("a"), "tags": .ss(["x", "y"]), "m": .m(["n": .ns([DynamoNumber(1), DynamoNumber(2)])])]
        let second: Item = ["pk": .s("a"), "tags": .ss(["y", "x"]), "m": .m(["n": .ns([DynamoNumber(2), DynamoNumber(1)])])]
        let key = try #require(table.encodedKey(of: first))
        table.write(key) { _ in .put(first) }
        table.write(key) { _ in .put(second) }
        #expect(Self.records(try Self.onlyStream(store)).count == 1)
    }

    @Test func test_sequence_number_strings_sort_numerically_and_parse_back() {
        let small = StreamSequenceNumber.string(9)
        let large = StreamSequenceNumber.string(10)
        #expect(small.count == 21 && large.count == 21)
        #expect(small < large)
        #expect(StreamSequenceNumber.parse(large) == 10)
        #expect(StreamSequenceNumber.parse("12345") == nil)
        #expect(StreamSequenceNumber.parse("2" + String(repeating: "0", count: 20)) == nil)
    }

    @Test func test_stream_labels_are_iso_8601_with_milliseconds() {
        #expect(StreamLabel.make(1_431_379_293.291) == "2015-05-11T21:21:33.291")
        #expect(StreamLabel.make(0) == "1970-01-01T00:00:00.000")
        #expect(StreamLabel.make(951_782_400) == "2000-02-29T00:00:00.000")
    }

    @Test func test_a_shard_rolls_over_after_the_period_with_its_parent_named() throws {
        var settings = StreamSettings()
        settings.shardRolloverSeconds = 60
        let clock = ManualClock(1000)
        let (store, table) = try Self.make(.keysOnly, settings: settings, clock: clock)
        try Self.put(table, "a", 1)
        try Self.put(table, "b", 1)
        clock.advance(61)
        try Self.put(table, "c", 1)
        let stream = try Self.onlyStream(store)
        #expect(stream.shards.count == 2)
        let (parent, child) = (stream.shards[0], stream.shards[1])
        #expect(parent.isClosed && parent.endingSequence == 2)
        #expect(child.parentId == parent.id && !child.isClosed && child.startingSequence == 3)
        #expect(child.records.map(\.sequence) == [3])
        #expect(parent.id != child.id && parent.id.hasPrefix("shardId-") && parent.id.count >= 28)
    }

    @Test func test_an_empty_shard_does_not_roll_over() throws {
        var settings = StreamSettings()
        settings.shardRolloverSeconds = 60
        let clock = ManualClock(1000)
        let (store, table) = try Self.make(.keysOnly, settings: settings, clock: clock)
        clock.advance(600)
        try Self.put(table, "a", 1)
        #expect(try Self.onlyStream(store).shards.count == 1)
    }

    @Test func test_records_older_than_the_retention_are_trimmed() throws {
        var settings = StreamSettings()
        settings.retentionSeconds = 100
        settings.shardRolloverSeconds = 50
        let clock = ManualClock(1000)
        let (store, table) = try Self.make(.keysOnly, settings: settings, clock: clock)
        try Self.put(table, "a", 1)
        clock.advance(60)
        try Self.put(table, "b", 1)
        clock.advance(60)
        try Self.put(table, "c", 1)
        // Now 1120: the record of 1000 is past the retention; its closed shard goes with it.
        let read = try store.read { (streams: [String: TableStream]) throws(DynamoError) -> TableStream? in
            streams.values.first
        }
        let stream = try #require(read)
        #expect(Self.records(stream).map(\.sequence) == [2, 3])
        #expect(stream.shards.first?.parentId != nil)
    }

    @Test func test_trimming_remembers_what_was_trimmed() {
        var shard = StreamShard(id: "shardId-1", parentId: nil, createdAt: 0, startingSequence: 1)
        for sequence in 1...3 {
            shard.records.append(StreamRecord(sequence: UInt64(sequence), tableSequence: UInt64(sequence),
                                              timestamp: Double(sequence), eventName: .insert, origin: .request,
                                              keys: [:], newImage: nil, oldImage: nil))
        }
        shard.trim(before: 2.5)
        #expect(shard.trimmedThrough == 2)
        #expect(shard.records.map(\.sequence) == [3])
        #expect(shard.nextSequence == 4)
    }

    @Test func test_disabling_closes_the_stream_and_enabling_again_starts_a_new_one() throws {
        let clock = ManualClock(1000)
        let (store, table) = try Self.make(.keysOnly, clock: clock)
        try Self.put(table, "a", 1)
        table.updateDefinition { $0.streamEnabled = false; $0.streamViewType = nil }
        try Self.put(table, "b", 1)
        clock.advance(5)
        table.updateDefinition {
            $0.streamEnabled = true
            $0.streamViewType = "NEW_IMAGE"
            $0.latestStreamCreationTime = clock.now
        }
        try Self.put(table, "c", 1)
        let streams = store.allStreams().sorted { $0.creationTime < $1.creationTime }
        #expect(streams.count == 2)
        #expect(!streams[0].isEnabled && streams[0].shards.allSatisfy(\.isClosed))
        #expect(Self.records(streams[0]).map(\.keys) == [["pk": .s("a")]])
        #expect(streams[1].isEnabled && Self.records(streams[1]).map(\.keys) == [["pk": .s("c")]])
        #expect(streams[0].arn != streams[1].arn)
    }

    @Test func test_stream_records_survive_recovery_from_the_log_and_from_a_checkpoint() throws {
        let directory = DurabilityTests.temporaryDirectory()
        func open() throws -> (DurableStore, StreamStore, Catalog) {
            let durable = try DurableStore(options: DurabilityOptions(directory: directory))
            let streams = StreamStore(downstream: durable, clock: { 2000 })
            let catalog = Catalog(shardCount: 2, changeSink: streams, clock: { 2000 })
            _ = try durable.recover(into: catalog, streams: streams, now: { 2000 })
            return (durable, streams, catalog)
        }
        var (durable, streams, catalog) = try open()
        let table = try catalog.createTable(Self.definition(viewType: .newAndOldImages), in: Self.namespace)
        try Self.put(table, "a", 1)
        try Self.put(table, "a", 2)
        let beforeCheckpoint = Self.records(try Self.onlyStream(streams)).map(\.sequence)
        try durable.checkpoint()
        try Self.put(table, "b", 1)
        try Self.delete(table, "a")
        let expected = Self.records(try Self.onlyStream(streams))
        #expect(beforeCheckpoint == [1, 2])
        durable.close()

        (durable, streams, catalog) = try open()
        let recovered = Self.records(try Self.onlyStream(streams))
        #expect(recovered.map(\.sequence) == expected.map(\.sequence))
        #expect(recovered.map(\.eventName) == [.insert, .modify, .insert, .remove])
        #expect(recovered.last?.oldImage?["v"] == .n(DynamoNumber(2)))
        let reopened = try #require(catalog.table(named: "t", in: Self.namespace))
        try Self.put(reopened, "c", 1)
        #expect(Self.records(try Self.onlyStream(streams)).last?.sequence == 5)
        durable.close()
    }
}
