import DynamoModel

/// Table snapshots and the checkpoint manifest that names them.
///
/// snapshot file (RecordFile, magic "SDSNAP01"):
///   record 1: account · region · sequence: u64 · definition
///   records:  count: u32 · (partition: bytes · sort: bytes · item)*      at most `batchSize` items each
///   last:     0xFF · itemCount: u64                                     proves the snapshot is complete
/// checkpoint file (RecordFile, magic "SDCHKPT1"), one record:
///   checkpointId: u64 · firstSegment: u64 · count: u32 · snapshotFileName: string*
enum Snapshot {
    static let magic = "SDSNAP01"
    static let manifestMagic = "SDCHKPT1"
    static let batchSize = 512

    /// Writes one table's snapshot: a consistent-enough copy taken without blocking writers (the WAL tail replayed
    /// over it at recovery brings every key to its last logged state).
    static func write(_ table: Table, namespace: Namespace, to path: String, cipher: RecordCipher?) throws(FileSystemError) {
        let bytes = encode(namespace: namespace, sequence: table.lastSequenceNumber, definition: table.definition,
                           cipher: cipher) { visit in table.scan(visit) }
        try FileSystem.replaceFile(path, with: bytes)
    }

    /// Writes a consistent table image (backups, point-in-time recovery bases) in the snapshot format.
    static func write(_ image: TableImage, to path: String, cipher: RecordCipher?) throws(FileSystemError) {
        let bytes = encode(namespace: image.namespace, sequence: image.sequence, definition: image.definition,
                           cipher: cipher) { visit in
            for entry in image.items where !visit(entry.key, entry.item) { return }
        }
        try FileSystem.replaceFile(path, with: bytes)
    }

    /// The snapshot file's bytes; `items` walks the items to store.
    static func encode(namespace: Namespace, sequence: UInt64, definition: TableDefinition, cipher: RecordCipher?,
                       items: ((EncodedKey, Item) -> Bool) -> Void) -> [UInt8] {
        var bytes = RecordFile.header(magic: magic, cipher: cipher)
        var header = BinaryWriter()
        header.string(namespace.accountId)
        header.string(namespace.region)
        header.u64(sequence)
        TableDefinitionCoding.encode(definition, into: &header)
        bytes.append(contentsOf: RecordFile.frame(header.bytes, cipher: cipher))
        var batch = BinaryWriter()
        var batchCount: UInt32 = 0
        var total: UInt64 = 0
        func flushBatch() {
            var record = BinaryWriter()
            record.u32(batchCount)
            record.bytes.append(contentsOf: batch.bytes)
            bytes.append(contentsOf: RecordFile.frame(record.bytes, cipher: cipher))
            batch = BinaryWriter()
            batchCount = 0
        }
        items { key, item in
            batch.data(key.partition)
            batch.data(key.sort)
            batch.item(item)
            batchCount += 1
            total += 1
            if batchCount == UInt32(batchSize) { flushBatch() }
            return true
        }
        if batchCount > 0 { flushBatch() }
        var end = BinaryWriter()
        end.u8(0xFF)
        end.u64(total)
        bytes.append(contentsOf: RecordFile.frame(end.bytes, cipher: cipher))
        return bytes
    }

    /// A loaded snapshot.
    struct Loaded {
        var namespace: Namespace
        var sequence: UInt64
        var definition: TableDefinition
        var items: [(EncodedKey, Item)]
    }

    /// Reads a whole record file that must be complete (snapshots and manifests are written atomically).
    static func readComplete(_ path: String, magic: String, cipher: RecordCipher?) throws(DurabilityError) -> [[UInt8]] {
        let bytes: [UInt8]
        do throws(FileSystemError) { bytes = try FileSystem.readFile(path) } catch { throw .io(error.description) }
        let result: (payloads: [[UInt8]], validLength: Int, tornTail: Bool)
        do throws(RecordFile.ReadFailure) {
            result = try RecordFile.read(bytes, magic: magic, cipher: cipher, path: path)
        } catch {
            throw DurabilityError(error, path: path)
        }
        if result.tornTail { throw .corrupt(path: path, offset: result.validLength) }
        return result.payloads
    }

    static func load(_ path: String, cipher: RecordCipher?) throws(DurabilityError) -> Loaded {
        let payloads = try readComplete(path, magic: magic, cipher: cipher)
        do throws(BinaryReader.Malformed) {
            guard let first = payloads.first, let last = payloads.last, payloads.count >= 2 else {
                throw BinaryReader.Malformed()
            }
            var header = BinaryReader(first)
            let namespace = Namespace(accountId: try header.string(), region: try header.string())
            let sequence = try header.u64()
            let definition = try TableDefinitionCoding.decode(&header)
            var items: [(EncodedKey, Item)] = []
            for payload in payloads.dropFirst().dropLast() {
                var reader = BinaryReader(payload)
                for _ in 0..<Int(try reader.u32()) {
                    let key = EncodedKey(partition: try reader.data(), sort: try reader.data())
                    items.append((key, try reader.item()))
                }
            }
            var end = BinaryReader(last)
            guard try end.u8() == 0xFF, try end.u64() == UInt64(items.count) else { throw BinaryReader.Malformed() }
            return Loaded(namespace: namespace, sequence: sequence, definition: definition, items: items)
        } catch {
            throw .corrupt(path: path, offset: 0)
        }
    }

    /// The checkpoint manifest.
    struct Manifest {
        var checkpointId: UInt64
        var firstSegment: UInt64
        var snapshotFiles: [String]
    }

    static func writeManifest(_ manifest: Manifest, to path: String, cipher: RecordCipher?) throws(FileSystemError) {
        var record = BinaryWriter()
        record.u64(manifest.checkpointId)
        record.u64(manifest.firstSegment)
        record.u32(UInt32(manifest.snapshotFiles.count))
        for file in manifest.snapshotFiles { record.string(file) }
        try FileSystem.replaceFile(path, with: RecordFile.header(magic: manifestMagic, cipher: cipher)
            + RecordFile.frame(record.bytes, cipher: cipher))
    }

    static func readManifest(_ path: String, cipher: RecordCipher?) throws(DurabilityError) -> Manifest {
        let payloads = try readComplete(path, magic: manifestMagic, cipher: cipher)
        guard let payload = payloads.first else { throw .corrupt(path: path, offset: RecordFile.headerSize) }
        var reader = BinaryReader(payload)
        do throws(BinaryReader.Malformed) {
            let id = try reader.u64()
            let first = try reader.u64()
            var files: [String] = []
            for _ in 0..<Int(try reader.u32()) { files.append(try reader.string()) }
            return Manifest(checkpointId: id, firstSegment: first, snapshotFiles: files)
        } catch {
            throw .corrupt(path: path, offset: RecordFile.headerSize)
        }
    }
}

/// Why the data directory could not be opened or recovered. Every case names the file (and offset) involved.
package enum DurabilityError: Error, CustomStringConvertible, Sendable {
    case io(String)
    case header(String)
    case corrupt(path: String, offset: Int)
    case locked(String)

    init(_ failure: RecordFile.ReadFailure, path: String) {
        switch failure {
        case .header(let message): self = .header(message)
        case .corrupt(let offset): self = .corrupt(path: path, offset: offset)
        }
    }

    package var description: String {
        switch self {
        case .io(let message): return message
        case .header(let message): return message
        case .corrupt(let path, let offset):
            return "corrupt record in \(path) at byte offset \(offset); nothing was changed. Run with --repair to "
                + "truncate the log at that point (the records after it are lost), or restore the directory from a backup."
        case .locked(let directory):
            return "another swiftdynamo process is using the data directory \(directory) (its LOCK file is held); "
                + "stop it or choose another --data-dir"
        }
    }
}
