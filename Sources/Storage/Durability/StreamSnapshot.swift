import DynamoModel

/// The streams' part of a checkpoint: every stream with its shards and retained records, written next to the
/// table snapshots (`snapshots/<checkpoint>/streams.snap`) before the manifest that makes the checkpoint current.
///
/// file (RecordFile, magic "SDSTRM01"): one record per stream, then 0xFF · streamCount: u64 (proves completeness).
/// stream := account · region · tableName · tableId · tableArn · keySchema · viewType · creationTime: f64
///           · enabled: u8 · hasDisabledAt: u8 · disabledAt: f64 · nextSequence: u64 · shardsOpened: u32
///           · count: u32 · shard*
/// shard  := id · hasParent: u8 · [parentId] · createdAt: f64 · startingSequence: u64 · hasEnding: u8 · ending: u64
///           · closed: u8 · hasTakenRecords: u8 · trimmedThrough: u64 · count: u32 · record*
/// record := sequence: u64 · tableSequence: u64 · timestamp: f64 · eventName · origin: u8 · keys: item
///           · hasNew: u8 · [newImage: item] · hasOld: u8 · [oldImage: item]
enum StreamSnapshot {
    static let magic = "SDSTRM01"
    static let fileName = "streams.snap"

    static func write(_ streams: [TableStream], to path: String, cipher: RecordCipher?) throws(FileSystemError) {
        var bytes = RecordFile.header(magic: magic, cipher: cipher)
        for stream in streams {
            var writer = BinaryWriter()
            encode(stream, into: &writer)
            bytes.append(contentsOf: RecordFile.frame(writer.bytes, cipher: cipher))
        }
        var end = BinaryWriter()
        end.u8(0xFF)
        end.u64(UInt64(streams.count))
        bytes.append(contentsOf: RecordFile.frame(end.bytes, cipher: cipher))
        try FileSystem.replaceFile(path, with: bytes)
    }

    static func load(_ path: String, cipher: RecordCipher?) throws(DurabilityError) -> [TableStream] {
        let payloads = try Snapshot.readComplete(path, magic: magic, cipher: cipher)
        do throws(BinaryReader.Malformed) {
            guard let last = payloads.last else { throw BinaryReader.Malformed() }
            var streams: [TableStream] = []
            for payload in payloads.dropLast() {
                var reader = BinaryReader(payload)
                streams.append(try decode(&reader))
            }
            var end = BinaryReader(last)
            guard try end.u8() == 0xFF, try end.u64() == UInt64(streams.count) else { throw BinaryReader.Malformed() }
            return streams
        } catch {
            throw .corrupt(path: path, offset: 0)
        }
    }

    private static func encode(_ stream: TableStream, into writer: inout BinaryWriter) {
        writer.string(stream.namespace.accountId)
        writer.string(stream.namespace.region)
        writer.string(stream.tableName)
        writer.string(stream.tableId)
        writer.string(stream.tableArn)
        writer.string(stream.keySchema.partitionKey.name)
        writer.string(stream.keySchema.partitionKey.type.rawValue)
        writer.optionalString(stream.keySchema.sortKey?.name)
        writer.optionalString(stream.keySchema.sortKey?.type.rawValue)
        writer.string(stream.viewType.rawValue)
        writer.f64(stream.creationTime)
        writer.bool(stream.isEnabled)
        writer.bool(stream.disabledAt != nil)
        writer.f64(stream.disabledAt ?? 0)
        writer.u64(stream.nextSequence)
        writer.u32(UInt32(stream.shardsOpened))
        writer.u32(UInt32(stream.shards.count))
        for shard in stream.shards {
            writer.string(shard.id)
            writer.optionalString(shard.parentId)
            writer.f64(shard.createdAt)
            writer.u64(shard.startingSequence)
            writer.bool(shard.endingSequence != nil)
            writer.u64(shard.endingSequence ?? 0)
            writer.bool(shard.isClosed)
            writer.bool(shard.hasTakenRecords)
            writer.u64(shard.trimmedThrough)
            writer.u32(UInt32(shard.records.count))
            for record in shard.records {
                writer.u64(record.sequence)
                writer.u64(record.tableSequence)
                writer.f64(record.timestamp)
                writer.string(record.eventName.rawValue)
                writer.u8(record.origin.rawValue)
                writer.item(record.keys)
                writer.bool(record.newImage != nil)
                if let image = record.newImage { writer.item(image) }
                writer.bool(record.oldImage != nil)
                if let image = record.oldImage { writer.item(image) }
            }
        }
    }

    private static func decode(_ reader: inout BinaryReader) throws(BinaryReader.Malformed) -> TableStream {
        func type(_ text: String) throws(BinaryReader.Malformed) -> ScalarAttributeType {
            guard let type = ScalarAttributeType(rawValue: text) else { throw BinaryReader.Malformed() }
            return type
        }
        let namespace = Namespace(accountId: try reader.string(), region: try reader.string())
        let tableName = try reader.string()
        let tableId = try reader.string()
        let tableArn = try reader.string()
        let partition = KeyAttribute(name: try reader.string(), type: try type(try reader.string()))
        let sortName = try reader.optionalString()
        let sortType = try reader.optionalString()
        var sortKey: KeyAttribute?
        if let sortName, let sortType { sortKey = KeyAttribute(name: sortName, type: try type(sortType)) }
        guard let viewType = StreamViewType(rawValue: try reader.string()) else { throw BinaryReader.Malformed() }
        let schema = KeySchema(partitionKey: partition, sortKey: sortKey)
        var definition = TableDefinition(name: tableName, tableId: tableId, arn: tableArn, keySchema: schema,
                                         attributeDefinitions: [], billingMode: .payPerRequest,
                                         provisionedThroughput: ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0),
                                         creationDateTime: 0)
        definition.streamEnabled = true
        var stream = TableStream(namespace: namespace, definition: definition, viewType: viewType,
                                 creationTime: try reader.f64())
        stream.isEnabled = try reader.bool()
        let hasDisabledAt = try reader.bool()
        let disabledAt = try reader.f64()
        stream.disabledAt = hasDisabledAt ? disabledAt : nil
        stream.nextSequence = try reader.u64()
        stream.shardsOpened = Int(try reader.u32())
        stream.shards = []
        for _ in 0..<Int(try reader.u32()) {
            let id = try reader.string()
            let parent = try reader.optionalString()
            var shard = StreamShard(id: id, parentId: parent, createdAt: try reader.f64(), startingSequence: try reader.u64())
            let hasEnding = try reader.bool()
            let ending = try reader.u64()
            shard.endingSequence = hasEnding ? ending : nil
            shard.isClosed = try reader.bool()
            shard.hasTakenRecords = try reader.bool()
            shard.trimmedThrough = try reader.u64()
            for _ in 0..<Int(try reader.u32()) {
                let sequence = try reader.u64()
                let tableSequence = try reader.u64()
                let timestamp = try reader.f64()
                guard let eventName = StreamRecord.EventName(rawValue: try reader.string()) else { throw BinaryReader.Malformed() }
                let origin = ChangeOrigin(rawValue: try reader.u8()) ?? .request
                let keys = try reader.item()
                let newImage = try reader.bool() ? try reader.item() : nil
                let oldImage = try reader.bool() ? try reader.item() : nil
                shard.records.append(StreamRecord(sequence: sequence, tableSequence: tableSequence, timestamp: timestamp,
                                                  eventName: eventName, origin: origin, keys: keys,
                                                  newImage: newImage, oldImage: oldImage))
            }
            stream.shards.append(shard)
        }
        return stream
    }
}
