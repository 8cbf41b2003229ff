import DynamoModel
import Synchronization

/// One on-demand backup's description (what DescribeBackup and ListBackups report).
package struct BackupRecord: Sendable {
    package var arn: String
    package var name: String
    package var namespace: Namespace
    /// The source table's definition when the backup was taken.
    package var source: TableDefinition
    package var itemCount: Int
    package var sizeInBytes: Int
    /// Seconds since the epoch.
    package var creationDateTime: Double
    /// USER, SYSTEM or AWS_BACKUP (SwiftDynamo makes USER backups only).
    package var type: String
    /// CREATING, AVAILABLE or DELETED.
    package var status: String

    package init(arn: String, name: String, namespace: Namespace, source: TableDefinition, itemCount: Int,
                 sizeInBytes: Int, creationDateTime: Double, type: String = "USER", status: String = "AVAILABLE") {
        self.arn = arn
        self.name = name
        self.namespace = namespace
        self.source = source
        self.itemCount = itemCount
        self.sizeInBytes = sizeInBytes
        self.creationDateTime = creationDateTime
        self.type = type
        self.status = status
    }
}

/// On-demand backups: descriptions and table images, in memory and (with a directory) on disk, surviving restarts.
///
/// Layout: `<directory>/<backupId>.snap` (the image, snapshot format) then `<backupId>.meta` (the description);
/// a backup exists once its `.meta` file does, so a crash mid-write leaves no half backup.
/// Thread safety: one Mutex over the map; file writes happen outside it.
package final class BackupStore: Sendable {
    private struct Entry: Sendable {
        var record: BackupRecord
        /// Kept in memory only when there is no directory.
        var image: TableImage?
        /// Restores reading this backup right now (DeleteBackup is refused meanwhile).
        var restoresInProgress = 0
    }

    static let metaMagic = "SDBKMETA"
    private let directory: String?
    private let cipher: RecordCipher?
    private let entries = Mutex<[String: Entry]>([:])

    private init() {
        directory = nil
        cipher = nil
    }

    /// A store held in memory only.
    package static var empty: BackupStore { BackupStore() }

    /// Opens the backups directory (creating it), loading every complete backup's description.
    package init(directory: String?, encryptionKey: [UInt8]? = nil) throws(DurabilityError) {
        self.directory = directory
        cipher = encryptionKey.map(RecordCipher.init(key:))
        guard let directory else { return }
        do throws(FileSystemError) { try FileSystem.createDirectory(directory) } catch { throw .io(error.description) }
        var loaded: [String: Entry] = [:]
        for file in (try? FileSystem.list(directory)) ?? [] where file.hasSuffix(".meta") {
            let path = "\(directory)/\(file)"
            let payloads = try Snapshot.readComplete(path, magic: Self.metaMagic, cipher: cipher)
            guard let payload = payloads.first else { throw .corrupt(path: path, offset: RecordFile.headerSize) }
            var reader = BinaryReader(payload)
            do throws(BinaryReader.Malformed) {
                let record = try Self.decode(&reader)
                loaded[record.arn] = Entry(record: record)
            } catch {
                throw .corrupt(path: path, offset: RecordFile.headerSize)
            }
        }
        entries.withLock { $0 = loaded }
    }

    /// The id part of a backup ARN (`.../backup/<id>`), used for file names.
    static func backupId(of arn: String) -> String {
        arn.split(separator: "/").last.map(String.init) ?? arn
    }

    /// Stores a new backup; durable before this returns when there is a directory.
    package func save(_ record: BackupRecord, image: TableImage) throws(DurabilityError) {
        if let directory {
            let id = Self.backupId(of: record.arn)
            var writer = BinaryWriter()
            Self.encode(record, into: &writer)
            do throws(FileSystemError) {
                try Snapshot.write(image, to: "\(directory)/\(id).snap", cipher: cipher)
                try FileSystem.replaceFile("\(directory)/\(id).meta", with: RecordFile.header(magic: Self.metaMagic, cipher: cipher)
                    + RecordFile.frame(writer.bytes, cipher: cipher))
            } catch {
                throw .io(error.description)
            }
            entries.withLock { $0[record.arn] = Entry(record: record) }
        } else {
            entries.withLock { $0[record.arn] = Entry(record: record, image: image) }
        }
    }

    package func backup(arn: String) -> BackupRecord? { entries.withLock { $0[arn]?.record } }

    /// Every backup of the namespace, oldest first.
    package func backups(in namespace: Namespace) -> [BackupRecord] {
        entries.withLock { $0.values.map(\.record) }.filter { $0.namespace == namespace }
            .sorted { ($0.creationDateTime, $0.arn) < ($1.creationDateTime, $1.arn) }
    }

    /// Marks a backup as read by a restore and returns its image; nil when it is gone.
    package func beginRestore(arn: String) throws(DurabilityError) -> TableImage? {
        let entry = entries.withLock { entries -> Entry? in
            guard entries[arn] != nil else { return nil }
            entries[arn]?.restoresInProgress += 1
            return entries[arn]
        }
        guard let entry else { return nil }
        if let image = entry.image { return image }
        guard let directory else { return nil }
        let path = "\(directory)/\(Self.backupId(of: arn)).snap"
        do throws(DurabilityError) {
            let loaded = try Snapshot.load(path, cipher: cipher)
            return TableImage(namespace: loaded.namespace, definition: loaded.definition, sequence: loaded.sequence,
                              items: loaded.items.map { (key: $0.0, item: $0.1) })
        } catch {
            endRestore(arn: arn)
            throw error
        }
    }

    package func endRestore(arn: String) {
        entries.withLock { $0[arn]?.restoresInProgress -= 1 }
    }

    /// The outcome of DeleteBackup.
    package enum Deletion: Sendable {
        case deleted(BackupRecord)
        case notFound
        case inUse
    }

    package func delete(arn: String) -> Deletion {
        let outcome = entries.withLock { entries -> Deletion in
            guard let entry = entries[arn] else { return .notFound }
            if entry.restoresInProgress > 0 { return .inUse }
            entries[arn] = nil
            var record = entry.record
            record.status = "DELETED"
            return .deleted(record)
        }
        if case .deleted = outcome, let directory {
            let id = Self.backupId(of: arn)
            FileSystem.remove("\(directory)/\(id).meta")
            FileSystem.remove("\(directory)/\(id).snap")
        }
        return outcome
    }

    // MARK: - Coding

    static func encode(_ record: BackupRecord, into writer: inout BinaryWriter) {
        writer.string(record.arn)
        writer.string(record.name)
        writer.string(record.namespace.accountId)
        writer.string(record.namespace.region)
        writer.u64(UInt64(record.itemCount))
        writer.u64(UInt64(record.sizeInBytes))
        writer.f64(record.creationDateTime)
        writer.string(record.type)
        writer.string(record.status)
        TableDefinitionCoding.encode(record.source, into: &writer)
    }

    static func decode(_ reader: inout BinaryReader) throws(BinaryReader.Malformed) -> BackupRecord {
        let arn = try reader.string()
        let name = try reader.string()
        let namespace = Namespace(accountId: try reader.string(), region: try reader.string())
        let itemCount = Int(try reader.u64())
        let size = Int(try reader.u64())
        let created = try reader.f64()
        let type = try reader.string()
        let status = try reader.string()
        return BackupRecord(arn: arn, name: name, namespace: namespace, source: try TableDefinitionCoding.decode(&reader),
                            itemCount: itemCount, sizeInBytes: size, creationDateTime: created, type: type, status: status)
    }
}
