import Dispatch
import DynamoModel
import Locking
import Testing
@testable import Storage

#if canImport(Glibc)
import Glibc
#endif

@Suite("Durability: log, snapshots, recovery, encryption")
struct DurabilityTests {
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/swiftdynamo-durability-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer -> String in
            guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return "/tmp/swiftdynamo-durability-fallback" }
            return String(cString: made)
        }
    }

    static let namespace = Namespace(accountId: "123456789012", region: "us-east-1")

    static func definition(_ name: String = "t") -> TableDefinition {
        let schema = KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s))
        return TableDefinition(name: name, tableId: "id-\(name)", arn: "arn", keySchema: schema,
                               attributeDefinitions: [KeyAttribute(name: "pk", type: .s)], billingMode: .payPerRequest,
                               provisionedThroughput: ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0),
                               creationDateTime: 1)
    }

    /// Opens a store on `directory` and recovers into a fresh catalog.
    static func open(_ directory: String, key: [UInt8]? = nil, repair: Bool = false, checkpointAfterBytes: Int = 64 << 20,
                     policy: DurabilityPolicy = .fsync, segmentLimitBytes: Int = 64 << 20)
        throws(DurabilityError) -> (DurableStore, Catalog, RecoveryReport)
    {
        var options = DurabilityOptions(directory: directory)
        options.policy = policy
        options.segmentLimitBytes = segmentLimitBytes
        options.encryptionKey = key
        options.repair = repair
        options.checkpointAfterBytes = checkpointAfterBytes
        let store = try DurableStore(options: options)
        let catalog = Catalog(shardCount: 2, changeSink: store)
        do throws(DurabilityError) {
            let report = try store.recover(into: catalog, now: { 0 })
            return (store, catalog, report)
        } catch {
            store.close()
            throw error
        }
    }

    static func put(_ catalog: Catalog, _ pk: String, _ value: Int) throws {
        let table = try #require(catalog.table(named: "t", in: namespace))
        let item: Item = ["pk": .s(pk), "v": .n(DynamoNumber(value))]
        table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
    }

    static func value(_ catalog: Catalog, _ pk: String) -> AttributeValue? {
        guard let table = catalog.table(named: "t", in: namespace), let key = table.encodedKey(of: ["pk": .s(pk)]) else { return nil }
        return table.getItem(key)?["v"]
    }

    static func walFiles(_ directory: String) -> [String] {
        ((try? FileSystem.list(directory + "/wal")) ?? []).map { "\(directory)/wal/\($0)" }
    }

    @Test("Writes survive a restart (log replay), deletes included")
    func replay() throws {
        let directory = Self.temporaryDirectory()
        do {
            let (store, catalog, _) = try Self.open(directory)
            try catalog.createTable(Self.definition(), in: Self.namespace)
            for index in 0..<50 { try Self.put(catalog, "k\(index)", index) }
            let table = try #require(catalog.table(named: "t", in: Self.namespace))
            table.write(try #require(table.encodedKey(of: ["pk": .s("k3")]))) { _ in .delete }
            #expect(store.awaitDurability())
            store.close()
        }
        let (store, catalog, report) = try Self.open(directory)
        defer { store.close() }
        #expect(report.tables == 1 && report.items == 49)
        #expect(Self.value(catalog, "k7") == .n(DynamoNumber(7)))
        #expect(Self.value(catalog, "k3") == nil)
    }

    @Test("Recovery loads the snapshot, then replays the log tail written after it")
    func snapshotThenTail() throws {
        let directory = Self.temporaryDirectory()
        do {
            let (store, catalog, _) = try Self.open(directory)
            try catalog.createTable(Self.definition(), in: Self.namespace)
            for index in 0..<20 { try Self.put(catalog, "k\(index)", index) }
            #expect(try store.checkpoint() == 1)
            try Self.put(catalog, "k1", 100)
            try Self.put(catalog, "late", 5)
            #expect(store.awaitDurability())
            store.close()
        }
        let (store, catalog, report) = try Self.open(directory)
        defer { store.close() }
        #expect(report.snapshotFiles == 1)
        #expect(report.logRecords == 2)
        #expect(Self.value(catalog, "k1") == .n(DynamoNumber(100)))
        #expect(Self.value(catalog, "late") == .n(DynamoNumber(5)))
        #expect(catalog.table(named: "t", in: Self.namespace)?.itemCount == 21)
    }

    @Test("A torn final record is cut off and everything before it recovers")
    func tornTail() throws {
        let directory = Self.temporaryDirectory()
        do {
            let (store, catalog, _) = try Self.open(directory)
            try catalog.createTable(Self.definition(), in: Self.namespace)
            for index in 0..<10 { try Self.put(catalog, "k\(index)", index) }
            #expect(store.awaitDurability())
            store.close()
        }
        let segment = try #require(Self.walFiles(directory).last)
        let bytes = try FileSystem.readFile(segment)
        try FileSystem.truncate(segment, to: bytes.count - 5)
        let (store, catalog, report) = try Self.open(directory)
        defer { store.close() }
        #expect(report.tornTailBytesCut > 0)
        #expect(catalog.table(named: "t", in: Self.namespace)?.itemCount == 9)
    }

    @Test("A flipped bit in the middle of the log stops startup, naming the file and offset; --repair truncates there")
    func bitFlip() throws {
        let directory = Self.temporaryDirectory()
        do {
            let (store, catalog, _) = try Self.open(directory)
            try catalog.createTable(Self.definition(), in: Self.namespace)
            for index in 0..<10 { try Self.put(catalog, "k\(index)", index) }
            #expect(store.awaitDurability())
            store.close()
        }
        let segment = try #require(Self.walFiles(directory).last)
        var bytes = try FileSystem.readFile(segment)
        bytes[bytes.count / 2] ^= 0x10
        try FileSystem.replaceFile(segment, with: bytes)
        do {
            _ = try Self.open(directory)
            Issue.record("a corrupt log was accepted")
        } catch {
            guard case .corrupt(let path, let offset) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == segment)
            #expect(offset > 0 && offset < bytes.count / 2 + 1)
        }
        let (store, catalog, report) = try Self.open(directory, repair: true)
        defer { store.close() }
        #expect(report.repairedAt != nil)
        let count = catalog.table(named: "t", in: Self.namespace)?.itemCount ?? -1
        #expect(count >= 0 && count < 10)
    }

    @Test("Encrypted data round-trips with its key; a wrong key or no key fails with a clear error")
    func encryption() throws {
        let directory = Self.temporaryDirectory()
        let key = (0..<32).map { UInt8($0) }
        do {
            let (store, catalog, _) = try Self.open(directory, key: key)
            try catalog.createTable(Self.definition(), in: Self.namespace)
            try Self.put(catalog, "secret-key-value", 42)
            #expect(store.awaitDurability())
            _ = try store.checkpoint()
            try Self.put(catalog, "after", 1)
            #expect(store.awaitDurability())
            store.close()
        }
        for file in Self.walFiles(directory) {
            let bytes = try FileSystem.readFile(file)
            #expect(!String(decoding: bytes, as: UTF8.self).contains("secret-key-value"))
        }
        let (store, catalog, _) = try Self.open(directory, key: key)
        #expect(Self.value(catalog, "secret-key-value") == .n(DynamoNumber(42)))
        store.close()
        #expect(throws: DurabilityError.self) { _ = try Self.open(directory, key: [UInt8](repeating: 7, count: 32)) }
        #expect(throws: DurabilityError.self) { _ = try Self.open(directory) }
    }

    @Test("A second store on the same directory is refused")
    func lock() throws {
        let directory = Self.temporaryDirectory()
        let (store, _, _) = try Self.open(directory)
        defer { store.close() }
        #expect(throws: DurabilityError.self) { _ = try DurableStore(options: DurabilityOptions(directory: directory)) }
    }

    @Test("Checkpoints drop the log segments they cover and keep the table definitions")
    func checkpointsTruncateTheLog() throws {
        let directory = Self.temporaryDirectory()
        do {
            let (store, catalog, _) = try Self.open(directory)
            var definition = Self.definition()
            definition.deletionProtectionEnabled = true
            try catalog.createTable(definition, in: Self.namespace)
            for index in 0..<100 { try Self.put(catalog, "k\(index)", index) }
            _ = try store.checkpoint()
            _ = try store.checkpoint()
            #expect(Self.walFiles(directory).count == 1)
            store.close()
        }
        let (store, catalog, _) = try Self.open(directory)
        defer { store.close() }
        #expect(catalog.table(named: "t", in: Self.namespace)?.definition.deletionProtectionEnabled == true)
        #expect(catalog.table(named: "t", in: Self.namespace)?.itemCount == 100)
    }

    @Test("Concurrent writers share commits (fsync: writers lead them; batch, none: the flusher) across segment rotations: every write recovers",
          arguments: [DurabilityPolicy.fsync, .batch, .none])
    func concurrentGroupCommit(policy: DurabilityPolicy) throws {
        let directory = Self.temporaryDirectory()
        let writers = 8
        let writesEach = 60
        do {
            // 4 KiB segments: whoever writes also rotates, many times.
            let (store, catalog, _) = try Self.open(directory, policy: policy, segmentLimitBytes: 4096)
            try catalog.createTable(Self.definition(), in: Self.namespace)
            let acknowledged = Lock(0)
            DispatchQueue.concurrentPerform(iterations: writers) { writer in
                for index in 0..<writesEach {
                    // The last write of each key wins: its value must be what recovery finds.
                    try? Self.put(catalog, "w\(writer)-k\(index % 20)", index)
                    if store.awaitDurability() { acknowledged.withLock { $0 += 1 } }
                }
            }
            #expect(acknowledged.withLock { $0 } == writers * writesEach)
            store.close()
        }
        let (store, catalog, _) = try Self.open(directory)
        defer { store.close() }
        #expect(catalog.table(named: "t", in: Self.namespace)?.itemCount == writers * 20)
        for writer in 0..<writers {
            #expect(Self.value(catalog, "w\(writer)-k19") == .n(DynamoNumber(writesEach - 1)))
        }
    }

    @Test("Writes told durable by callback are: each callback runs once, after its write is on disk",
          arguments: [DurabilityPolicy.fsync, .batch, .none])
    func notifiedWritesRecover(policy: DurabilityPolicy) throws {
        let directory = Self.temporaryDirectory()
        let crashed = Self.temporaryDirectory() + "-crashed"
        let writes = 300
        let (store, catalog, _) = try Self.open(directory, policy: policy, segmentLimitBytes: 4096)
        try catalog.createTable(Self.definition(), in: Self.namespace)
        let told = Lock<[Bool]>([])
        let allTold = DispatchSemaphore(value: 0)
        // Writes arrive while earlier ones commit, as an epoll loop hands them over: no thread waits for any.
        for index in 0..<writes {
            try Self.put(catalog, "k\(index)", index)
            store.notifyWhenDurable { durable in
                let count = told.withLock { told in
                    told.append(durable)
                    return told.count
                }
                if count == writes { allTold.signal() }
            }
        }
        #expect(allTold.wait(timeout: .now() + 20) == .success)
        #expect(told.withLock { $0 } == Array(repeating: true, count: writes))
        // What the callbacks promised is on disk without a clean close (a crash copy); with `none`, only written.
        try Self.copyDirectory(directory, to: crashed)
        store.close()
        let (reopened, recovered, _) = try Self.open(crashed)
        defer { reopened.close() }
        if policy != .none { #expect(recovered.table(named: "t", in: Self.namespace)?.itemCount == writes) }
    }

    @Test("A callback for a log that is closed reports false, not a hang")
    func notifyAfterClose() throws {
        let directory = Self.temporaryDirectory()
        let (store, catalog, _) = try Self.open(directory)
        try catalog.createTable(Self.definition(), in: Self.namespace)
        try Self.put(catalog, "a", 1)
        store.close()
        try Self.put(catalog, "b", 2)
        let outcome = Lock<Bool?>(nil)
        store.notifyWhenDurable { durable in outcome.withLock { $0 = durable } }
        #expect(outcome.withLock { $0 } == false)
    }

    @Test("Checkpoints rotating the log while writers commit lose no acknowledged write")
    func rotationDuringCommits() throws {
        let directory = Self.temporaryDirectory()
        do {
            let (store, catalog, _) = try Self.open(directory)
            try catalog.createTable(Self.definition(), in: Self.namespace)
            DispatchQueue.concurrentPerform(iterations: 5) { worker in
                if worker == 0 {
                    for _ in 0..<5 { _ = try? store.checkpoint() }
                    return
                }
                for index in 0..<50 {
                    try? Self.put(catalog, "w\(worker)-\(index)", index)
                    _ = store.awaitDurability()
                }
            }
            store.close()
        }
        let (store, catalog, _) = try Self.open(directory)
        defer { store.close() }
        #expect(catalog.table(named: "t", in: Self.namespace)?.itemCount == 200)
        #expect(Self.value(catalog, "w4-49") == .n(DynamoNumber(49)))
    }

    /// Copies a data directory as a crash would leave it: whatever the files hold at this moment.
    static func copyDirectory(_ source: String, to destination: String) throws {
        try FileSystem.createDirectory(destination)
        for name in try FileSystem.list(source) {
            let from = "\(source)/\(name)"
            if (try? FileSystem.list(from)) != nil {
                try copyDirectory(from, to: "\(destination)/\(name)")
            } else if name != "LOCK" {
                try FileSystem.replaceFile("\(destination)/\(name)", with: try FileSystem.readFile(from))
            }
        }
    }

    @Test("A crash leaves preallocated zeros after the last record: recovery reads them as the end, not a torn tail")
    func preallocatedTailAfterCrash() throws {
        let directory = Self.temporaryDirectory()
        let crashed = Self.temporaryDirectory() + "-crashed"
        let (store, catalog, _) = try Self.open(directory)
        try catalog.createTable(Self.definition(), in: Self.namespace)
        for index in 0..<30 { try Self.put(catalog, "k\(index)", index) }
        #expect(store.awaitDurability())
        try Self.copyDirectory(directory, to: crashed)
        store.close()

        let segment = try #require(Self.walFiles(crashed).last)
        let bytes = try FileSystem.readFile(segment)
        #expect(bytes.count >= WriteAheadLog.preallocationBytes)
        #expect(bytes.last == 0)
        let (reopened, recovered, report) = try Self.open(crashed)
        defer { reopened.close() }
        #expect(report.tornTailBytesCut == 0)
        #expect(recovered.table(named: "t", in: Self.namespace)?.itemCount == 30)
        #expect(Self.value(recovered, "k29") == .n(DynamoNumber(29)))
    }

    @Test("A cleanly closed log segment ends at its last record: the preallocated space is given back")
    func closedSegmentsAreTrimmed() throws {
        let directory = Self.temporaryDirectory()
        do {
            let (store, catalog, _) = try Self.open(directory)
            try catalog.createTable(Self.definition(), in: Self.namespace)
            for index in 0..<30 { try Self.put(catalog, "k\(index)", index) }
            #expect(store.awaitDurability())
            store.close()
        }
        for segment in Self.walFiles(directory) {
            let bytes = try FileSystem.readFile(segment)
            #expect(bytes.count < WriteAheadLog.preallocationBytes)
            let read = try RecordFile.read(bytes, magic: WriteAheadLog.magic, cipher: nil, path: segment)
            #expect(read.validLength == bytes.count && !read.tornTail)
        }
        let (store, catalog, report) = try Self.open(directory)
        defer { store.close() }
        #expect(report.tornTailBytesCut == 0)
        #expect(catalog.table(named: "t", in: Self.namespace)?.itemCount == 30)
    }

    @Test("A write nobody waits for (a background job's) still becomes durable on its own", arguments: [DurabilityPolicy.fsync, .batch])
    func unwaitedWritesBecomeDurable(policy: DurabilityPolicy) throws {
        let directory = Self.temporaryDirectory()
        let (store, catalog, _) = try Self.open(directory, policy: policy)
        defer { store.close() }
        try catalog.createTable(Self.definition(), in: Self.namespace)
        try Self.put(catalog, "background", 1)
        // No awaitDurability: the background commit (or the flusher's sync) must get there by itself.
        var durable = false
        for _ in 0..<500 where !durable {
            durable = store.isDurable
            if !durable { usleep(10_000) }
        }
        #expect(durable)
    }

    @Test("Every attribute type survives the binary format")
    func binaryFormat() throws {
        let item: Item = ["s": .s("é😀"), "n": .n(try DynamoNumber(parsing: "-1.5E-7")), "b": .b([0, 255]), "t": .bool(true),
                          "z": .null, "l": .l([.s("x"), .l([])]), "m": .m(["k": .ns([DynamoNumber(1)])]), "ss": .ss(["a"]),
                          "bs": .bs([[1]])]
        var writer = BinaryWriter()
        writer.item(item)
        var reader = BinaryReader(writer.bytes)
        #expect(try reader.item() == item)
        #expect(reader.isAtEnd)
    }
}
