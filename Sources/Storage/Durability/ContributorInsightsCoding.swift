/// Binary form of a table's contributor-insights settings, an optional block after the rest of a table definition.
///
/// block := 0xC2 · count: u32 · (resource: string ("" for the table) · enabled: u8 · mode: string
///          · lastUpdate: f64 · ruleTimestamp: u64)*
enum ContributorInsightsCoding {
    static let tag: UInt8 = 0xC2

    static func encode(_ definition: TableDefinition, into writer: inout BinaryWriter) {
        guard !definition.contributorInsights.isEmpty else { return }
        writer.u8(tag)
        writer.u32(UInt32(definition.contributorInsights.count))
        for (resource, settings) in definition.contributorInsights.sorted(by: { $0.key < $1.key }) {
            writer.string(resource)
            writer.bool(settings.enabled)
            writer.string(settings.mode)
            writer.f64(settings.lastUpdate)
            writer.u64(UInt64(bitPattern: settings.ruleTimestamp))
        }
    }

    /// Decodes the block after its tag (the caller has read the tag).
    static func decode(_ reader: inout BinaryReader, into definition: inout TableDefinition) throws(BinaryReader.Malformed) {
        for _ in 0..<Int(try reader.u32()) {
            let resource = try reader.string()
            definition.contributorInsights[resource] = ContributorInsightsSettings(
                enabled: try reader.bool(), mode: try reader.string(), lastUpdate: try reader.f64(),
                ruleTimestamp: Int64(bitPattern: try reader.u64()))
        }
    }
}
