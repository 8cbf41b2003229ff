#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DynamoModel

/// One table's point-in-time history: a consistent base image and every change group after it, in order.
///
/// Files (with a directory): `base.snap` (snapshot format) and `changes.log` (RecordFile "SDPITR01" whose records
/// are WAL records, item or transaction). The change file is appended as changes happen and fsynced before the
/// write-ahead log drops segments at a checkpoint; whatever a crash cut from its tail is still in the WAL, which
/// recovery replays into it.
/// Thread safety: used only under `PointInTimeRecorder`'s lock.
final class PointInTimeHistory: @unchecked Sendable {
    static let changesMagic = "SDPITR01"
    var base: TableImage
    /// Change groups (a single write, or one table's part of a transaction), in sequence order.
    var groups: [[ChangeRecord]] = []
    /// The last sequence number in the history.
    var lastSequence: UInt64
    private let directory: String?
    private let cipher: RecordCipher?
    private var descriptor: Int32 = -1

    /// A new history from a base image, writing its files when there is a directory.
    init(base: TableImage, directory: String?, cipher: RecordCipher?) throws(FileSystemError) {
        self.base = base
        lastSequence = base.sequence
        self.directory = directory
        self.cipher = cipher
        guard let directory else { return }
        try FileSystem.createDirectory(directory)
        try Snapshot.write(base, to: "\(directory)/base.snap", cipher: cipher)
        try FileSystem.replaceFile("\(directory)/changes.log", with: RecordFile.header(magic: Self.changesMagic, cipher: cipher))
        try openForAppend()
    }

    /// Loads a history written before a restart (cutting a torn final record).
    init(loading directory: String, cipher: RecordCipher?) throws(DurabilityError) {
        self.directory = directory
        self.cipher = cipher
        let loaded = try Snapshot.load("\(directory)/base.snap", cipher: cipher)
        base = TableImage(namespace: loaded.namespace, definition: loaded.definition, sequence: loaded.sequence,
                          items: loaded.items.map { (key: $0.0, item: $0.1) })
        lastSequence = loaded.sequence
        let path = "\(directory)/changes.log"
        let bytes: [UInt8]
        do throws(FileSystemError) { bytes = try FileSystem.readFile(path) } catch { throw .io(error.description) }
        let result: (payloads: [[UInt8]], validLength: Int, tornTail: Bool)
        do throws(RecordFile.ReadFailure) {
            result = try RecordFile.read(bytes, magic: Self.changesMagic, cipher: cipher, path: path)
        } catch {
            throw DurabilityError(error, path: path)
        }
        for payload in result.payloads {
            var reader = BinaryReader(payload)
            do throws(BinaryReader.Malformed) {
                switch try LogRecord.decode(&reader) {
                case .item(let change): appendInMemory([change])
                case .transaction(let changes): appendInMemory(changes)
                default: throw BinaryReader.Malformed()
                }
            } catch {
                throw .corrupt(path: path, offset: 0)
            }
        }
        do throws(FileSystemError) {
            if result.tornTail { try FileSystem.truncate(path, to: result.validLength) }
            try openForAppend()
        } catch {
            throw .io(error.description)
        }
    }

    private func openForAppend() throws(FileSystemError) {
        guard let directory else { return }
        let path = "\(directory)/changes.log"
        descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError("open", path) }
    }

    private func appendInMemory(_ changes: [ChangeRecord]) {
        let fresh = changes.filter { $0.sequenceNumber > lastSequence }.map { change -> ChangeRecord in
            var stored = change
            stored.oldImage = nil  // replay needs only the new image
            return stored
        }
        guard !fresh.isEmpty else { return }
        groups.append(fresh)
        lastSequence = fresh.map(\.sequenceNumber).max() ?? lastSequence
    }

    /// Adds a change group not yet in the history (older sequence numbers are ignored), and logs it.
    func append(_ changes: [ChangeRecord]) {
        let before = groups.count
        appendInMemory(changes)
        guard groups.count > before, descriptor >= 0, let group = groups.last else { return }
        var writer = BinaryWriter()
        (group.count == 1 ? LogRecord.item(group[0]) : LogRecord.transaction(group)).encode(into: &writer)
        // A failed append is made good from the write-ahead log at the next restart.
        try? FileSystem.writeAll(descriptor, RecordFile.frame(writer.bytes, cipher: cipher), path: directory ?? "")
    }

    /// Folds the change groups made before `cutoff` (outside the recovery period) into the base, rewriting both
    /// files; returns whether anything was folded.
    @discardableResult
    func trim(before cutoff: Double) throws(FileSystemError) -> Bool {
        let expired = groups.prefix { group in (group.map(\.timestamp).max() ?? 0) < cutoff }
        guard !expired.isEmpty else { return false }
        base.apply(expired.flatMap { $0 })
        groups.removeFirst(expired.count)
        guard let directory else { return true }
        try Snapshot.write(base, to: "\(directory)/base.snap", cipher: cipher)
        try rewriteChanges(directory)
        return true
    }

    private func rewriteChanges(_ directory: String) throws(FileSystemError) {
        var bytes = RecordFile.header(magic: Self.changesMagic, cipher: cipher)
        for group in groups {
            var writer = BinaryWriter()
            (group.count == 1 ? LogRecord.item(group[0]) : LogRecord.transaction(group)).encode(into: &writer)
            bytes.append(contentsOf: RecordFile.frame(writer.bytes, cipher: cipher))
        }
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
        try FileSystem.replaceFile("\(directory)/changes.log", with: bytes)
        try openForAppend()
    }

    /// Drops changes past `sequence` (ones a crash kept out of the write-ahead log: never acknowledged, and the
    /// table reuses their sequence numbers), rewriting the change file.
    func truncate(after sequence: UInt64) throws(FileSystemError) {
        guard lastSequence > sequence else { return }
        groups = groups.compactMap { group in
            let kept = group.filter { $0.sequenceNumber <= sequence }
            return kept.isEmpty ? nil : kept
        }
        lastSequence = max(base.sequence, groups.last?.map(\.sequenceNumber).max() ?? 0)
        guard let directory else { return }
        try rewriteChanges(directory)
    }

    /// Makes the change file durable (before the WAL that also holds these changes is truncated).
    func sync() {
        if descriptor >= 0 { try? FileSystem.sync(descriptor, path: directory ?? "") }
    }

    /// The table as it stood at `time`: the base plus every change group whose changes all happened by then.
    func image(at time: Double) -> TableImage {
        var image = base
        var changes: [ChangeRecord] = []
        for group in groups where group.allSatisfy({ $0.timestamp <= time }) { changes.append(contentsOf: group) }
        image.apply(changes)
        return image
    }

    /// The keys changed after `from` up to and including `to`, each with the time of its last change then.
    func changedKeys(after from: Double, through to: Double) -> [EncodedKey: Double] {
        var changed: [EncodedKey: Double] = [:]
        for group in groups {
            let time = group.map(\.timestamp).max() ?? 0
            guard time > from, time <= to else { continue }
            for change in group { changed[change.key] = max(changed[change.key] ?? 0, change.timestamp) }
        }
        return changed
    }

    /// Closes the file and, when `removeFiles`, deletes the history from disk.
    func close(removeFiles: Bool) {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
        guard removeFiles, let directory else { return }
        FileSystem.remove("\(directory)/base.snap")
        FileSystem.remove("\(directory)/changes.log")
        _ = rmdirPath(directory)
    }
}
