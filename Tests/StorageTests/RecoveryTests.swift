import Dispatch
import DynamoModel
import Synchronization
import Testing
@testable import Storage

@Suite("Recovery: consistent images, backups, point-in-time histories")
struct RecoveryTests {
    static let namespace = DurabilityTests.namespace

    /// A catalog writing through a fan-out, with one table `t` (clock: a counter the test advances).
    /// A clock the test sets.
    final class TestClock: Sendable {
        private let time: Mutex<Double>
        init(_ start: Double) { time = Mutex(start) }
        func set(_ value: Double) { time.withLock { $0 = value } }
        var now: Double { time.withLock { $0 } }
    }

    static func catalog(clock: TestClock = TestClock(0)) throws -> (Catalog, ChangeFanOut, Table) {
        let fanOut = ChangeFanOut(forwardingTo: nil)
        let catalog = Catalog(shardCount: 4, changeSink: fanOut, clock: { clock.now })
        let table = try catalog.createTable(DurabilityTests.definition(), in: namespace)
        return (catalog, fanOut, table)
    }

    static func put(_ table: Table, _ pk: String, _ value: Int) throws {
        let item: Item = ["pk": .s(pk), "v": .n(DynamoNumber(value))]
        table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
    }

    static func delete(_ table: Table, _ pk: String) throws {
        table.write(try #require(table.encodedKey(of: ["pk": .s(pk)]))) { _ in .delete }
    }

    static func contents(_ image: TableImage) -> [String: Int] {
        var result: [String: Int] = [:]
        for entry in image.items {
            if case .s(let key)? = entry.item["pk"], case .n(let number)? = entry.item["v"] {
                result[key] = Int(number.description)
            }
        }
        return result
    }

    @Test func test_a_consistent_image_holds_every_item_of_a_quiet_table() throws {
        let (_, fanOut, table) = try Self.catalog()
        for index in 0..<1000 { try Self.put(table, "k\(index)", index) }
        let image = ConsistentSnapshot.capture(table, observing: fanOut)
        #expect(image.items.count == 1000)
        #expect(Self.contents(image)["k999"] == 999)
        #expect(image.sequence == table.lastSequenceNumber)
    }

    @Test func test_a_consistent_image_taken_under_writes_matches_one_sequence_number() throws {
        // Writers keep all of a batch of keys at one value per round; the image must show every key at one round.
        let (_, fanOut, table) = try Self.catalog()
        let keys = (0..<2000).map { "k\($0)" }
        for key in keys { try Self.put(table, key, 0) }
        let stop = Atomic<Bool>(false)
        let rounds = DispatchGroup()
        DispatchQueue.global().async(group: rounds) {
            var round = 0
            while !stop.load(ordering: .relaxed) {
                round += 1
                let items = keys.map { ["pk": AttributeValue.s($0), "v": .n(DynamoNumber(round))] as Item }
                let writes = items.compactMap { item in table.encodedKey(of: item).map { TransactionWrite(table: table, key: $0, decide: { _ in .success(.put(item)) }) } }
                _ = Transactions.write(writes)
            }
        }
        for _ in 0..<5 {
            let values = Set(Self.contents(ConsistentSnapshot.capture(table, observing: fanOut)).values)
            #expect(values.count == 1)
        }
        stop.store(true, ordering: .relaxed)
        rounds.wait()
    }

    @Test func test_a_table_image_applies_puts_and_deletes_in_order() throws {
        let key = try #require(DurabilityTests.definition().keySchema.encodedKeyIfValid(of: ["pk": .s("a")]))
        var image = TableImage(namespace: Self.namespace, definition: DurabilityTests.definition(), sequence: 1,
                               items: [(key, ["pk": .s("a"), "v": .n(DynamoNumber(1))])])
        func change(_ sequence: UInt64, _ value: Int?) -> ChangeRecord {
            ChangeRecord(namespace: Self.namespace, tableName: "t", tableId: "id-t", key: key, oldImage: nil,
                         newImage: value.map { ["pk": .s("a"), "v": .n(DynamoNumber($0))] }, sequenceNumber: sequence,
                         timestamp: 0)
        }
        image.apply([change(2, nil)])
        #expect(image.items.isEmpty)
        image.apply([change(3, 7), change(4, 8)])
        #expect(Self.contents(image) == ["a": 8])
        #expect(image.sequence == 4)
    }

    @Test func test_backups_are_kept_on_disk_and_deleted_with_their_files() throws {
        let directory = DurabilityTests.temporaryDirectory()
        let (_, fanOut, table) = try Self.catalog()
        for index in 0..<10 { try Self.put(table, "k\(index)", index) }
        let image = ConsistentSnapshot.capture(table, observing: fanOut)
        let record = BackupRecord(arn: "arn:aws:dynamodb:us-east-1:123456789012:table/t/backup/0000000000001-abcdef01",
                                  name: "b", namespace: Self.namespace, source: table.definition, itemCount: 10,
                                  sizeInBytes: image.sizeInBytes, creationDateTime: 5)
        try BackupStore(directory: directory).save(record, image: image)

        let reopened = try BackupStore(directory: directory)
        #expect(reopened.backup(arn: record.arn)?.name == "b")
        let loaded = try #require(try reopened.beginRestore(arn: record.arn))
        #expect(Self.contents(loaded) == Self.contents(image))
        guard case .inUse = reopened.delete(arn: record.arn) else { Issue.record("a backup being restored was deleted"); return }
        reopened.endRestore(arn: record.arn)
        guard case .deleted(let deleted) = reopened.delete(arn: record.arn) else { Issue.record("not deleted"); return }
        #expect(deleted.status == "DELETED")
        #expect(try BackupStore(directory: directory).backup(arn: record.arn) == nil)
    }

    @Test func test_a_history_restores_each_instant_and_survives_reloading() throws {
        let directory = DurabilityTests.temporaryDirectory()
        let clock = TestClock(100)
        let (catalog, fanOut, table) = try Self.catalog(clock: clock)
        try Self.put(table, "a", 1)
        let recorder = PointInTimeRecorder(fanOut: fanOut, directory: directory)
        _ = try recorder.enable(table, now: { 100 })
        clock.set(101)
        try Self.put(table, "a", 2)
        try Self.put(table, "b", 1)
        clock.set(102)
        try Self.delete(table, "a")
        #expect(Self.contents(try #require(recorder.image(tableId: table.tableId, at: 100.5))) == ["a": 1])
        #expect(Self.contents(try #require(recorder.image(tableId: table.tableId, at: 101))) == ["a": 2, "b": 1])
        #expect(Self.contents(try #require(recorder.image(tableId: table.tableId, at: 102))) == ["b": 1])
        recorder.sync()

        table.updateDefinition { $0.pointInTimeRecovery = PointInTimeRecoverySettings(enabled: true, recoveryPeriodInDays: 35, enabledDateTime: 100) }
        let reloaded = PointInTimeRecorder(fanOut: fanOut, directory: directory)
        try reloaded.loadPersisted()
        #expect(reloaded.resume(catalog, now: { 103 }).isEmpty)
        #expect(Self.contents(try #require(reloaded.image(tableId: table.tableId, at: 101))) == ["a": 2, "b": 1])
        clock.set(104)
        try Self.put(table, "c", 3)
        #expect(Self.contents(try #require(reloaded.image(tableId: table.tableId, at: 104))) == ["b": 1, "c": 3])
    }

    @Test func test_trimming_folds_changes_older_than_the_recovery_period_into_the_base() throws {
        let directory = DurabilityTests.temporaryDirectory()
        let clock = TestClock(0)
        let (catalog, fanOut, table) = try Self.catalog(clock: clock)
        let recorder = PointInTimeRecorder(fanOut: fanOut, directory: directory)
        _ = try recorder.enable(table, now: { 0 })
        table.updateDefinition { $0.pointInTimeRecovery = PointInTimeRecoverySettings(enabled: true, recoveryPeriodInDays: 1, enabledDateTime: 0) }
        clock.set(10)
        try Self.put(table, "old", 1)
        clock.set(200_000)
        try Self.put(table, "new", 2)
        recorder.trimExpired(catalog, now: 200_000)
        #expect(Self.contents(try #require(recorder.image(tableId: table.tableId, at: 200_000))) == ["old": 1, "new": 2])
        #expect(Self.contents(try #require(recorder.image(tableId: table.tableId, at: 199_999))) == ["old": 1])
        let reloaded = PointInTimeRecorder(fanOut: ChangeFanOut(forwardingTo: nil), directory: directory)
        try reloaded.loadPersisted()
        #expect(Self.contents(try #require(reloaded.image(tableId: table.tableId, at: 199_999))) == ["old": 1])
        #expect(Self.contents(try #require(reloaded.image(tableId: table.tableId, at: 200_000))) == ["old": 1, "new": 2])
    }

    @Test func test_deleting_a_table_deletes_its_history() throws {
        let directory = DurabilityTests.temporaryDirectory()
        let (catalog, fanOut, table) = try Self.catalog()
        let recorder = PointInTimeRecorder(fanOut: fanOut, directory: directory)
        _ = try recorder.enable(table, now: { 0 })
        #expect(recorder.image(tableId: table.tableId, at: 0) != nil)
        try catalog.deleteTable(named: "t", in: Self.namespace)
        #expect(recorder.image(tableId: table.tableId, at: 0) == nil)
        #expect(((try? FileSystem.list(directory)) ?? []).isEmpty)
    }

    @Test func test_a_history_fills_a_gap_from_replayed_log_records() throws {
        let directory = DurabilityTests.temporaryDirectory()
        let (_, fanOut, table) = try Self.catalog()
        let recorder = PointInTimeRecorder(fanOut: fanOut, directory: directory)
        _ = try recorder.enable(table, now: { 0 })
        let reloaded = PointInTimeRecorder(fanOut: ChangeFanOut(forwardingTo: nil), directory: directory)
        try reloaded.loadPersisted()
        let key = try #require(table.encodedKey(of: ["pk": .s("late")] as Item))
        let change = ChangeRecord(namespace: Self.namespace, tableName: "t", tableId: table.tableId, key: key, oldImage: nil,
                                  newImage: ["pk": .s("late"), "v": .n(DynamoNumber(9))], sequenceNumber: 1, timestamp: 0)
        reloaded.replayed(.item(change))
        reloaded.replayed(.item(change))  // a record the history already has is ignored
        #expect(Self.contents(try #require(reloaded.image(tableId: table.tableId, at: 0))) == ["late": 9])
    }

    @Test func test_definitions_keep_recovery_settings_and_restore_summaries_through_coding() throws {
        var definition = DurabilityTests.definition()
        definition.pointInTimeRecovery = PointInTimeRecoverySettings(enabled: true, recoveryPeriodInDays: 7, enabledDateTime: 12.5)
        definition.restoreSummary = RestoreSummary(sourceBackupArn: "arn:b", sourceTableArn: "arn:t", restoreDateTime: 3,
                                                   inProgress: true)
        var writer = BinaryWriter()
        TableDefinitionCoding.encode(definition, into: &writer)
        var reader = BinaryReader(writer.bytes)
        let decoded = try TableDefinitionCoding.decode(&reader)
        #expect(decoded.pointInTimeRecovery == definition.pointInTimeRecovery)
        #expect(decoded.restoreSummary == definition.restoreSummary)
    }
}
