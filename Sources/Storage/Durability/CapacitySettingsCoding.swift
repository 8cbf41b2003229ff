/// Binary form of a table's capacity settings, appended after the rest of a table definition. Older files end
/// before it, so a definition without the block decodes with no on-demand maximum and no auto scaling.
///
/// block := 0xC1 · hasMaxRead: u8 · maxRead: u64 · hasMaxWrite: u8 · maxWrite: u64
///          · policyCount: u32 · (resource: string · dimension: u8 (0 read, 1 write) · policy)*
///          · indexCount: u32 · (indexName: string · maximums)*
/// maximums := hasMaxRead: u8 · maxRead: u64 · hasMaxWrite: u8 · maxWrite: u64
/// policy := minimum: u64 · maximum: u64 · target: f64 · disableScaleIn: u8 · policyName: optionalString
enum CapacitySettingsCoding {
    static let tag: UInt8 = 0xC1

    static func encode(_ definition: TableDefinition, into writer: inout BinaryWriter) {
        guard definition.onDemandThroughput != nil || !definition.autoScaling.isEmpty
            || !definition.indexOnDemandThroughput.isEmpty else { return }
        writer.u8(tag)
        encode(definition.onDemandThroughput, into: &writer)
        var policies: [(String, UInt8, StoredScalingPolicy)] = []
        for (resource, scaling) in definition.autoScaling.sorted(by: { $0.key < $1.key }) {
            if let read = scaling.read { policies.append((resource, 0, read)) }
            if let write = scaling.write { policies.append((resource, 1, write)) }
        }
        writer.u32(UInt32(policies.count))
        for (resource, dimension, policy) in policies {
            writer.string(resource)
            writer.u8(dimension)
            writer.u64(UInt64(bitPattern: policy.minimumUnits))
            writer.u64(UInt64(bitPattern: policy.maximumUnits))
            writer.f64(policy.targetUtilization)
            writer.bool(policy.disableScaleIn)
            writer.optionalString(policy.policyName)
        }
        writer.u32(UInt32(definition.indexOnDemandThroughput.count))
        for (name, maximum) in definition.indexOnDemandThroughput.sorted(by: { $0.key < $1.key }) {
            writer.string(name)
            encode(maximum, into: &writer)
        }
    }

    private static func encode(_ maximum: OnDemandThroughput?, into writer: inout BinaryWriter) {
        writer.bool(maximum?.maxReadRequestUnits != nil)
        writer.u64(UInt64(bitPattern: maximum?.maxReadRequestUnits ?? 0))
        writer.bool(maximum?.maxWriteRequestUnits != nil)
        writer.u64(UInt64(bitPattern: maximum?.maxWriteRequestUnits ?? 0))
    }

    private static func decodeMaximums(_ reader: inout BinaryReader) throws(BinaryReader.Malformed) -> OnDemandThroughput? {
        let hasRead = try reader.bool()
        let read = Int64(bitPattern: try reader.u64())
        let hasWrite = try reader.bool()
        let write = Int64(bitPattern: try reader.u64())
        guard hasRead || hasWrite else { return nil }
        return OnDemandThroughput(maxReadRequestUnits: hasRead ? read : nil, maxWriteRequestUnits: hasWrite ? write : nil)
    }

    /// Decodes the block after its tag (the caller has read the tag).
    static func decode(_ reader: inout BinaryReader, into definition: inout TableDefinition) throws(BinaryReader.Malformed) {
        definition.onDemandThroughput = try decodeMaximums(&reader)
        for _ in 0..<Int(try reader.u32()) {
            let resource = try reader.string()
            let dimension = try reader.u8()
            let policy = StoredScalingPolicy(minimumUnits: Int64(bitPattern: try reader.u64()),
                                             maximumUnits: Int64(bitPattern: try reader.u64()),
                                             targetUtilization: try reader.f64(), disableScaleIn: try reader.bool(),
                                             policyName: try reader.optionalString())
            var scaling = definition.autoScaling[resource] ?? StoredAutoScaling()
            if dimension == 0 { scaling.read = policy } else { scaling.write = policy }
            definition.autoScaling[resource] = scaling
        }
        for _ in 0..<Int(try reader.u32()) {
            let name = try reader.string()
            definition.indexOnDemandThroughput[name] = try decodeMaximums(&reader)
        }
    }
}
