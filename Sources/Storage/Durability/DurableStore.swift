import Dispatch
import DynamoModel
import Synchronization

/// Settings of the durable store.
package struct DurabilityOptions: Sendable {
    package var directory: String
    package var policy: DurabilityPolicy = .fsync
    package var batchIntervalMilliseconds = 10
    /// A checkpoint (snapshot of every table, then WAL truncation) starts once this much has been logged.
    package var checkpointAfterBytes = 64 << 20
    package var segmentLimitBytes = 64 << 20
    package var encryptionKey: [UInt8]?
    /// Truncate the log at the first corrupt record instead of refusing to start.
    package var repair = false

    package init(directory: String) {
        self.directory = directory
    }
}

/// What recovery found, for the startup log line.
package struct RecoveryReport: Sendable {
    package var tables = 0
    package var items = 0
    package var snapshotFiles = 0
    package var logRecords = 0
    package var tornTailBytesCut = 0
    package var repairedAt: String?
    package var seconds = 0.0
}

/// The durable side of the change log: every change record goes to the write-ahead log; checkpoints snapshot the
/// tables and drop the log they cover; startup loads the newest checkpoint and replays the log tail.
///
/// Layout of the data directory: `LOCK`, `checkpoint`, `wal/*.log`, `snapshots/<id>/<tableId>.snap`,
/// `snapshots/<id>/streams.snap`.
/// Thread safety: the WAL has its own lock; checkpoints run one at a time on `checkpointQueue`.
package final class DurableStore: ChangeSink {
    package let options: DurabilityOptions
    let cipher: RecordCipher?
    private let log = Mutex<WriteAheadLog?>(nil)
    private let catalogBox = Mutex<Catalog?>(nil)
    private let streamsBox = Mutex<StreamStore?>(nil)
    private let checkpointQueue = DispatchQueue(label: "swiftdynamo.checkpoint")
    private let checkpointRunning = Atomic<Bool>(false)
    private let lockDescriptor: Int32
    /// Sees every record recovery replays (point-in-time histories fill their gaps from it).
    private let recoveryObserver = Mutex<(@Sendable (LogRecord) -> Void)?>(nil)
    /// Runs before a checkpoint deletes log segments (point-in-time histories make themselves durable first).
    private let truncationHook = Mutex<(@Sendable () -> Void)?>(nil)

    var walDirectory: String { options.directory + "/wal" }
    var snapshotDirectory: String { options.directory + "/snapshots" }
    var manifestPath: String { options.directory + "/checkpoint" }

    /// Takes the directory's lock; nothing else happens until `recover(into:)`.
    package init(options: DurabilityOptions) throws(DurabilityError) {
        self.options = options
        cipher = options.encryptionKey.map(RecordCipher.init(key:))
        var descriptor: Int32?
        do throws(FileSystemError) {
            try FileSystem.createDirectory(options.directory)
            descriptor = try FileSystem.lockExclusively(options.directory + "/LOCK")
        } catch {
            throw .io(error.description)
        }
        guard let descriptor else { throw .locked(options.directory) }
        lockDescriptor = descriptor
    }

    // MARK: - ChangeSink

    package func append(_ record: ChangeRecord) {
        log.withLock { $0 }?.append(.item(record))
        scheduleCheckpointIfDue()
    }

    package func appendTransaction(_ records: [ChangeRecord]) {
        log.withLock { $0 }?.append(.transaction(records))
        scheduleCheckpointIfDue()
    }

    package func tableDefinitionChanged(_ definition: TableDefinition, in namespace: Namespace) {
        log.withLock { $0 }?.append(.tableDefinition(namespace, definition))
    }

    package func tableDeleted(named name: String, tableId: String, in namespace: Namespace) {
        log.withLock { $0 }?.append(.tableDeleted(namespace, name: name, tableId: tableId))
    }

    /// Whether every record appended so far is as durable as the policy demands (without waiting).
    package var isDurable: Bool {
        guard let wal = log.withLock({ $0 }) else { return true }
        return wal.durablePosition >= wal.appendedPosition
    }

    package func awaitDurability() -> Bool {
        log.withLock { $0 }?.waitForAppended() ?? true
    }

    package func notifyWhenDurable(_ done: @escaping @Sendable (Bool) -> Void) {
        guard let wal = log.withLock({ $0 }) else { return done(true) }
        wal.notifyWhenDurable(wal.appendedPosition, done)
    }

    /// Registers the observer of replayed records; call before `recover(into:now:)`.
    package func observeRecovery(_ observer: @escaping @Sendable (LogRecord) -> Void) {
        recoveryObserver.withLock { $0 = observer }
    }

    /// Registers work to run before each checkpoint deletes log segments.
    package func beforeLogTruncation(_ hook: @escaping @Sendable () -> Void) {
        truncationHook.withLock { $0 = hook }
    }

    // MARK: - Recovery

    /// Loads the newest checkpoint and replays the log into `catalog` (and the tables' streams into `streams`),
    /// then opens a fresh log segment.
    package func recover(into catalog: Catalog, streams: StreamStore? = nil,
                         now: () -> Double) throws(DurabilityError) -> RecoveryReport {
        let started = now()
        var report = RecoveryReport()
        catalogBox.withLock { $0 = catalog }
        streamsBox.withLock { $0 = streams }
        var firstSegment: UInt64 = 0
        if (try? FileSystem.readFile(manifestPath)) != nil {
            let manifest = try Snapshot.readManifest(manifestPath, cipher: cipher)
            firstSegment = manifest.firstSegment
            for file in manifest.snapshotFiles {
                let loaded = try Snapshot.load("\(snapshotDirectory)/\(file)", cipher: cipher)
                let table = catalog.restoreTable(loaded.definition, in: loaded.namespace)
                for (key, item) in loaded.items { table.restore(key, item: item, sequence: loaded.sequence) }
                report.snapshotFiles += 1
            }
            let streamsPath = "\(snapshotDirectory)/\(String(manifest.checkpointId, radix: 16))/\(StreamSnapshot.fileName)"
            if let streams, (try? FileSystem.readFile(streamsPath)) != nil {
                streams.load(try StreamSnapshot.load(streamsPath, cipher: cipher))
            }
        }
        do throws(FileSystemError) { try FileSystem.createDirectory(walDirectory) } catch { throw .io(error.description) }
        let segments: [UInt64]
        do throws(FileSystemError) {
            segments = try FileSystem.list(walDirectory).compactMap(WriteAheadLog.segmentNumber).filter { $0 >= firstSegment }
        } catch {
            throw .io(error.description)
        }
        for (index, segment) in segments.enumerated() {
            let path = WriteAheadLog.segmentPath(walDirectory, segment)
            let bytes: [UInt8]
            do throws(FileSystemError) { bytes = try FileSystem.readFile(path) } catch { throw .io(error.description) }
            var result: (payloads: [[UInt8]], validLength: Int, tornTail: Bool)
            do throws(RecordFile.ReadFailure) {
                result = try RecordFile.read(bytes, magic: WriteAheadLog.magic, cipher: cipher, path: path)
            } catch {
                guard options.repair, case .corrupt(let offset) = error else { throw DurabilityError(error, path: path) }
                // --repair: keep what precedes the corruption, drop the rest (and every later segment).
                let prefix = Array(bytes[0..<offset])
                result = (((try? RecordFile.read(prefix, magic: WriteAheadLog.magic, cipher: cipher, path: path))?.payloads) ?? [],
                          offset, true)
                report.repairedAt = "\(path) at byte offset \(offset)"
                for later in segments[(index + 1)...] { FileSystem.remove(WriteAheadLog.segmentPath(walDirectory, later)) }
            }
            if result.tornTail {
                let isLast = index == segments.count - 1 || report.repairedAt != nil
                guard isLast || options.repair else { throw .corrupt(path: path, offset: result.validLength) }
                report.tornTailBytesCut += bytes.count - result.validLength
                do throws(FileSystemError) { try FileSystem.truncate(path, to: result.validLength) } catch { throw .io(error.description) }
            }
            for payload in result.payloads {
                var reader = BinaryReader(payload)
                do throws(BinaryReader.Malformed) {
                    let record = try LogRecord.decode(&reader)
                    apply(record, to: catalog, streams: streams)
                    recoveryObserver.withLock { $0 }?(record)
                    report.logRecords += 1
                } catch {
                    throw .corrupt(path: path, offset: 0)
                }
            }
            if report.repairedAt != nil { break }
        }
        let nextSegment = (segments.last ?? firstSegment) + 1
        let wal: WriteAheadLog
        do throws(FileSystemError) {
            wal = try WriteAheadLog(directory: walDirectory, firstSegment: max(nextSegment, firstSegment),
                                    policy: options.policy, cipher: cipher, segmentLimitBytes: options.segmentLimitBytes,
                                    batchIntervalMilliseconds: options.batchIntervalMilliseconds)
        } catch {
            throw .io(error.description)
        }
        log.withLock { $0 = wal }
        // Definitions that came from table snapshots: their streams were in the streams snapshot, or start now.
        if let streams {
            for (namespace, table) in catalog.allTablesWithNamespaces() { streams.restore(table.definition, in: namespace) }
        }
        // An index whose backfill a crash interrupted was filled again during recovery: it is ready now.
        for table in catalog.allTables() where table.definition.globalSecondaryIndexes.contains(where: \.backfilling) {
            table.updateDefinition { definition in
                for position in definition.globalSecondaryIndexes.indices {
                    definition.globalSecondaryIndexes[position].backfilling = false
                    definition.globalSecondaryIndexes[position].status = "ACTIVE"
                }
            }
        }
        let tables = catalog.allTables()
        report.tables = tables.count
        report.items = tables.reduce(0) { $0 + $1.itemCount }
        report.seconds = now() - started
        return report
    }

    private func apply(_ record: LogRecord, to catalog: Catalog, streams: StreamStore?) {
        switch record {
        case .item(let change):
            streams?.replay(change)
            guard let table = catalog.table(named: change.tableName, in: change.namespace), table.tableId == change.tableId else {
                return
            }
            table.restore(change.key, item: change.newImage, sequence: change.sequenceNumber)
        case .transaction(let changes):
            for change in changes { apply(.item(change), to: catalog, streams: streams) }
        case .tableDefinition(let namespace, let definition):
            if let table = catalog.table(named: definition.name, in: namespace), table.tableId == definition.tableId {
                table.restoreDefinition(definition)
            } else {
                catalog.restoreDeletion(named: definition.name, tableId: catalog.table(named: definition.name, in: namespace)?.tableId ?? "",
                                        in: namespace)
                catalog.restoreTable(definition, in: namespace)
            }
            streams?.restore(definition, in: namespace)
        case .tableDeleted(let namespace, let name, let tableId):
            catalog.restoreDeletion(named: name, tableId: tableId, in: namespace)
            streams?.restoreDeletion(ofTable: tableId)
        }
    }

    // MARK: - Checkpoints

    private func scheduleCheckpointIfDue() {
        guard let wal = log.withLock({ $0 }), wal.bytesSinceCheckpoint >= options.checkpointAfterBytes else { return }
        guard checkpointRunning.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        checkpointQueue.async {
            _ = try? self.checkpoint()
            self.checkpointRunning.store(false, ordering: .releasing)
        }
    }

    /// Snapshots every table and removes the log segments the snapshots cover. Writers keep going meanwhile.
    @discardableResult
    package func checkpoint() throws(DurabilityError) -> Int {
        guard let wal = log.withLock({ $0 }), let catalog = catalogBox.withLock({ $0 }) else { return 0 }
        let previous = (try? Snapshot.readManifest(manifestPath, cipher: cipher))
        let firstSegment = wal.rotate()
        let checkpointId = (previous?.checkpointId ?? 0) + 1
        let directory = "\(snapshotDirectory)/\(String(checkpointId, radix: 16))"
        var files: [String] = []
        do throws(FileSystemError) {
            try FileSystem.createDirectory(directory)
            for (namespace, table) in catalog.allTablesWithNamespaces() {
                let name = "\(String(checkpointId, radix: 16))/\(table.tableId).snap"
                try Snapshot.write(table, namespace: namespace, to: "\(snapshotDirectory)/\(name)", cipher: cipher)
                files.append(name)
            }
            if let streams = streamsBox.withLock({ $0 }) {
                try StreamSnapshot.write(streams.allStreams(), to: "\(directory)/\(StreamSnapshot.fileName)", cipher: cipher)
            }
            try Snapshot.writeManifest(Snapshot.Manifest(checkpointId: checkpointId, firstSegment: firstSegment,
                                                         snapshotFiles: files), to: manifestPath, cipher: cipher)
        } catch {
            throw .io(error.description)
        }
        truncationHook.withLock { $0 }?()
        // The new manifest is durable: older snapshots and covered segments can go.
        for entry in (try? FileSystem.list(snapshotDirectory)) ?? [] where entry != String(checkpointId, radix: 16) {
            let old = "\(snapshotDirectory)/\(entry)"
            for file in (try? FileSystem.list(old)) ?? [] { FileSystem.remove("\(old)/\(file)") }
            _ = rmdirPath(old)
        }
        for file in (try? FileSystem.list(walDirectory)) ?? [] {
            if let number = WriteAheadLog.segmentNumber(file), number < firstSegment {
                FileSystem.remove("\(walDirectory)/\(file)")
            }
        }
        return files.count
    }

    /// Flushes and closes the log and releases the directory lock.
    package func close() {
        log.withLock { $0 }?.close()
        FileSystem.unlock(lockDescriptor)
    }
}
