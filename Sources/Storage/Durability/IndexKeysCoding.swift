import DynamoModel

/// Binary form of the multi-attribute keys of global indexes and of warm throughput, two optional blocks after the
/// rest of a table definition. The index entries before them keep the first HASH and RANGE attribute of each key
/// (the format older files have), so a definition without the blocks decodes with single-attribute keys and no
/// warm throughput set.
///
/// keys block := 0xC3 · count: u32 · (indexName: string · hash: attributes · range: attributes)*
/// attributes := count: u32 · (name: string · type: string)*      every HASH (or RANGE) attribute, in order
/// warm block := 0xC4 · hasTable: u8 · [warm] · count: u32 · (indexName: string · warm)*
/// warm := read: u64 · write: u64
enum IndexKeysCoding {
    static let tag: UInt8 = 0xC3
    static let warmTag: UInt8 = 0xC4

    static func encode(_ definition: TableDefinition, into writer: inout BinaryWriter) {
        let multi = definition.globalSecondaryIndexes.filter(\.keySchema.isMultiAttribute)
        if !multi.isEmpty {
            writer.u8(tag)
            writer.u32(UInt32(multi.count))
            for index in multi {
                writer.string(index.name)
                for side in [index.keySchema.partitionKeys, index.keySchema.sortKeys] {
                    writer.u32(UInt32(side.count))
                    for attribute in side {
                        writer.string(attribute.name)
                        writer.string(attribute.type.rawValue)
                    }
                }
            }
        }
        if definition.warmThroughput != nil || !definition.indexWarmThroughput.isEmpty {
            writer.u8(warmTag)
            writer.bool(definition.warmThroughput != nil)
            if let warm = definition.warmThroughput { encode(warm, into: &writer) }
            writer.u32(UInt32(definition.indexWarmThroughput.count))
            for (name, warm) in definition.indexWarmThroughput.sorted(by: { $0.key < $1.key }) {
                writer.string(name)
                encode(warm, into: &writer)
            }
        }
    }

    private static func encode(_ warm: WarmThroughput, into writer: inout BinaryWriter) {
        writer.u64(UInt64(bitPattern: warm.readUnitsPerSecond))
        writer.u64(UInt64(bitPattern: warm.writeUnitsPerSecond))
    }

    /// Decodes the keys block after its tag (the caller has read the tag).
    static func decode(_ reader: inout BinaryReader, into definition: inout TableDefinition) throws(BinaryReader.Malformed) {
        for _ in 0..<Int(try reader.u32()) {
            let name = try reader.string()
            var sides: [[KeyAttribute]] = []
            for _ in 0..<2 {
                var side: [KeyAttribute] = []
                for _ in 0..<Int(try reader.u32()) {
                    let attribute = try reader.string()
                    guard let type = ScalarAttributeType(rawValue: try reader.string()) else { throw BinaryReader.Malformed() }
                    side.append(KeyAttribute(name: attribute, type: type))
                }
                sides.append(side)
            }
            guard !sides[0].isEmpty,
                  let position = definition.globalSecondaryIndexes.firstIndex(where: { $0.name == name }) else {
                throw BinaryReader.Malformed()
            }
            definition.globalSecondaryIndexes[position].keySchema = KeySchema(partitionKeys: sides[0], sortKeys: sides[1])
        }
    }

    /// Decodes the warm-throughput block after its tag.
    static func decodeWarm(_ reader: inout BinaryReader, into definition: inout TableDefinition) throws(BinaryReader.Malformed) {
        func warm() throws(BinaryReader.Malformed) -> WarmThroughput {
            WarmThroughput(readUnitsPerSecond: Int64(bitPattern: try reader.u64()),
                           writeUnitsPerSecond: Int64(bitPattern: try reader.u64()))
        }
        if try reader.bool() { definition.warmThroughput = try warm() }
        for _ in 0..<Int(try reader.u32()) {
            let name = try reader.string()
            definition.indexWarmThroughput[name] = try warm()
        }
    }
}
