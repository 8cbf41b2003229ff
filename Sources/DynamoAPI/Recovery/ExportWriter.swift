import DynamoModel
import JSON
import Storage

/// Writes an export in DynamoDB's layout, so that tools reading real exports read ours:
///
///     <prefix>/AWSDynamoDB/<export-id>/_started
///     <prefix>/AWSDynamoDB/<export-id>/data/<name>.json.gz      one item (or change) per line
///     <prefix>/AWSDynamoDB/<export-id>/manifest-files.json      one line per data file
///     <prefix>/AWSDynamoDB/<export-id>/manifest-files.md5
///     <prefix>/AWSDynamoDB/<export-id>/manifest-summary.json
///     <prefix>/AWSDynamoDB/<export-id>/manifest-summary.md5
enum ExportWriter {
    /// Items per data file (DynamoDB writes one or more files per partition).
    static let itemsPerFile = 10_000

    /// One line of the export: a full export's item, or an incremental export's change.
    struct Line {
        var keys: Item
        var newImage: Item?
        var oldImage: Item?
        var writeTime: Double?
    }

    /// The folder of an export: `[prefix/]AWSDynamoDB/<export-id>`.
    static func folder(prefix: String?, exportId: String) -> String {
        var base = prefix ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        return base.isEmpty ? "AWSDynamoDB/\(exportId)" : "\(base)/AWSDynamoDB/\(exportId)"
    }

    static func writeStarted(_ record: ExportRecord, exportId: String, store: LocalObjectStore) throws(FileSystemError) {
        try store.put(bucket: record.bucket, key: folder(prefix: record.prefix, exportId: exportId) + "/_started", [])
    }

    /// Writes the data files and manifests; returns (item count, bytes of item data, manifest-summary key).
    static func write(_ lines: [Line], record: ExportRecord, exportId: String, incremental: Bool, endTime: Double,
                      store: LocalObjectStore) throws(FileSystemError) -> (items: Int, bytes: Int, manifest: String) {
        let base = folder(prefix: record.prefix, exportId: exportId)
        var manifestLines: [UInt8] = []
        var totalBytes = 0
        var start = 0
        repeat {
            let chunk = lines[start..<min(start + itemsPerFile, lines.count)]
            var body: [UInt8] = []
            for line in chunk {
                let encoded = record.format == "ION" ? IonText.line(line, incremental: incremental)
                                                     : jsonLine(line, incremental: incremental)
                totalBytes += encoded.count
                body.append(contentsOf: encoded)
                body.append(UInt8(ascii: "\n"))
            }
            let compressed = LocalObjectStore.gzip(body)
            let key = "\(base)/data/\(randomName()).\(record.format == "ION" ? "ion" : "json").gz"
            try store.put(bucket: record.bucket, key: key, compressed)
            manifestLines.append(contentsOf: JSONWriter.serialize(.object(JSONObject([
                ("itemCount", .number(String(chunk.count))),
                ("md5Checksum", .string(LocalObjectStore.md5Base64(compressed))),
                ("etag", .string(LocalObjectStore.md5Hex(compressed))),
                ("dataFileS3Key", .string(key)),
            ]))))
            manifestLines.append(UInt8(ascii: "\n"))
            start += itemsPerFile
        } while start < lines.count
        let filesKey = "\(base)/manifest-files.json"
        try store.put(bucket: record.bucket, key: filesKey, manifestLines)
        try store.put(bucket: record.bucket, key: "\(base)/manifest-files.md5", Array(LocalObjectStore.md5Base64(manifestLines).utf8))

        var summary: [(key: String, value: JSONValue)] = [
            ("version", .string(incremental ? "2023-08-01" : "2020-06-30")),
            ("exportArn", .string(record.arn)),
            ("startTime", .string(isoTime(record.startTime))),
            ("endTime", .string(isoTime(endTime))),
            ("tableArn", .string(record.tableArn)),
            ("tableId", .string(record.tableId)),
        ]
        if let incremental = record.incremental {
            summary.append(("exportFromTime", .string(isoTime(incremental.from))))
            summary.append(("exportToTime", .string(isoTime(incremental.to))))
        } else {
            summary.append(("exportTime", .string(isoTime(record.exportTime))))
        }
        summary += [
            ("s3Bucket", .string(record.bucket)),
            ("s3Prefix", record.prefix.map(JSONValue.string) ?? .null),
            ("s3SseAlgorithm", .string(record.sseAlgorithm ?? "AES256")),
            ("s3SseKmsKeyId", record.sseKmsKeyId.map(JSONValue.string) ?? .null),
            ("manifestFilesS3Key", .string(filesKey)),
            ("billedSizeBytes", .number(String(totalBytes))),
            ("itemCount", .number(String(lines.count))),
            ("outputFormat", .string(record.format)),
        ]
        if incremental {
            summary.append(("outputView", .string(record.incremental?.viewType ?? "NEW_AND_OLD_IMAGES")))
        }
        summary.append(("exportType", .string(record.type)))
        let summaryBytes = JSONWriter.serialize(.object(JSONObject(summary)))
        let summaryKey = "\(base)/manifest-summary.json"
        try store.put(bucket: record.bucket, key: summaryKey, summaryBytes)
        try store.put(bucket: record.bucket, key: "\(base)/manifest-summary.md5", Array(LocalObjectStore.md5Base64(summaryBytes).utf8))
        return (lines.count, totalBytes, summaryKey)
    }

    /// `{"Item":{...}}` for a full export; `{"Metadata":{...},"Keys":{...},"NewImage":{...},"OldImage":{...}}` for
    /// an incremental one.
    static func jsonLine(_ line: Line, incremental: Bool) -> [UInt8] {
        guard incremental else { return JSONWriter.serialize(.object(JSONObject([("Item", (line.newImage ?? [:]).json)]))) }
        var members: [(key: String, value: JSONValue)] = []
        if let time = line.writeTime {
            members.append(("Metadata", .object(JSONObject([
                ("WriteTimestampMicros", .object(JSONObject([("N", .string(String(Int64(time * 1_000_000))))]))),
            ]))))
        }
        members.append(("Keys", line.keys.json))
        if let new = line.newImage { members.append(("NewImage", new.json)) }
        if let old = line.oldImage { members.append(("OldImage", old.json)) }
        return JSONWriter.serialize(.object(JSONObject(members)))
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ`.
    static func isoTime(_ seconds: Double) -> String {
        ISOTimestamp.format(milliseconds: Int64((seconds * 1000).rounded())) + "Z"
    }

    /// 26 lowercase letters and digits, as DynamoDB names data files.
    static func randomName() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<26).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }, as: UTF8.self)
    }
}
