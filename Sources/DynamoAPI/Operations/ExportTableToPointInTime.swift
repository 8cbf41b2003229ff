import Dispatch
import DynamoModel
import JSON
import Storage

/// ExportTableToPointInTime: writes the table as it stood at an instant of its recovery window (or, incremental,
/// what changed between two instants) to the local S3 stand-in, in the background.
enum ExportTableToPointInTime {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableArn = try reader.string("TableArn")
        let exportTime = try TimestampInput.read(input["ExportTime"])
        let clientToken = try reader.string("ClientToken")
        let bucket = try reader.string("S3Bucket")
        let bucketOwner = try reader.string("S3BucketOwner")
        let prefix = try reader.string("S3Prefix")
        let sseAlgorithm = try reader.string("S3SseAlgorithm")
        let sseKey = try reader.string("S3SseKmsKeyId")
        let format = try reader.string("ExportFormat")
        let type = try reader.string("ExportType")
        let incremental = try reader.object("IncrementalExportSpecification")
        let from = try TimestampInput.read(incremental?["ExportFromTime"])
        let to = try TimestampInput.read(incremental?["ExportToTime"])
        let viewType = try InputReader.string(incremental?["ExportViewType"])
        if let tableArn {
            reader.validate(!tableArn.isEmpty, value: tableArn, at: "tableArn", "Member must have length greater than or equal to 1")
            reader.validate(tableArn.utf8.count <= 1024, value: tableArn, at: "tableArn", "Member must have length less than or equal to 1024")
        } else {
            reader.require(false, at: "tableArn")
        }
        if let bucket {
            reader.validate(bucket.utf8.count <= 255, value: bucket, at: "s3Bucket", "Member must have length less than or equal to 255")
        } else {
            reader.require(false, at: "s3Bucket")
        }
        if let prefix {
            reader.validate(prefix.utf8.count <= 1024, value: prefix, at: "s3Prefix", "Member must have length less than or equal to 1024")
        }
        reader.validateEnum(sseAlgorithm, at: "s3SseAlgorithm", allowed: ["AES256", "KMS"])
        reader.validateEnum(format, at: "exportFormat", allowed: ["DYNAMODB_JSON", "ION"])
        reader.validateEnum(type, at: "exportType", allowed: ["FULL_EXPORT", "INCREMENTAL_EXPORT"])
        reader.validateEnum(viewType, at: "incrementalExportSpecification.exportViewType", allowed: ["NEW_IMAGE", "NEW_AND_OLD_IMAGES"])
        try reader.throwValidationErrors()
        guard let tableArn, let bucket else { throw .validation("Missing required parameters") }
        let isIncremental = type == "INCREMENTAL_EXPORT"

        let name = TableLookup.tableName(from: tableArn)
        guard let table = context.catalog.table(named: name, in: context.namespace), table.definition.arn == tableArn else {
            throw RecoveryErrors.tableNotFound(name)
        }
        guard let settings = table.definition.pointInTimeRecovery, settings.enabled else {
            throw RecoveryErrors.pointInTimeRecoveryUnavailable(name)
        }
        let services = context.settings.recovery
        let now = context.catalog.now()
        let window = ContinuousBackups.window(settings, now: now)
        var range: (from: Double, to: Double, viewType: String)?
        if isIncremental {
            guard let from, let to else {
                throw .validation("One or more parameter values were invalid: ExportFromTime and ExportToTime must be specified for INCREMENTAL_EXPORT")
            }
            guard from >= window.earliest - 0.0005, to <= window.latest, from < to else { throw RecoveryErrors.invalidExportTime }
            range = (from, to, viewType ?? "NEW_AND_OLD_IMAGES")
        } else if incremental != nil {
            throw .validation("One or more parameter values were invalid: IncrementalExportSpecification can only be specified for INCREMENTAL_EXPORT")
        }
        let instant = exportTime ?? now
        if !isIncremental {
            guard instant >= window.earliest - 0.0005, instant <= window.latest else { throw RecoveryErrors.invalidExportTime }
        }
        if let clientToken, let earlier = services.transfers.exports(in: context.namespace).last(where: { $0.clientToken == clientToken }) {
            guard earlier.tableArn == tableArn, earlier.bucket == bucket, earlier.prefix == prefix else {
                throw DynamoError(.exportConflict, "There was a conflict when writing to the specified S3 bucket.")
            }
            return .object(JSONObject([("ExportDescription", ExportDescriptionWriter.description(earlier))]))
        }

        let exportId = BackupInput.timestampedId(now: now)
        let record = ExportRecord(arn: "\(tableArn)/export/\(exportId)", namespace: context.namespace, startTime: now,
                                  exportTime: range?.to ?? instant, tableArn: tableArn, tableId: table.tableId,
                                  clientToken: clientToken, bucket: bucket, bucketOwner: bucketOwner, prefix: prefix,
                                  sseAlgorithm: sseAlgorithm, sseKmsKeyId: sseKey, format: format ?? "DYNAMODB_JSON",
                                  type: type ?? "FULL_EXPORT", incremental: range)
        // The image is taken now (the history may be trimmed later); the files are written in the background.
        let lines: [ExportWriter.Line]
        if let range {
            lines = incrementalLines(table: table, range: range, recorder: services.pointInTime)
        } else {
            guard let image = services.pointInTime.image(tableId: table.tableId, at: instant) else {
                throw RecoveryErrors.pointInTimeRecoveryUnavailable(name)
            }
            lines = image.items.map { entry in
                ExportWriter.Line(keys: [:], newImage: entry.item, oldImage: nil, writeTime: nil)
            }
        }
        services.transfers.add(record)
        let store = LocalObjectStore(root: services.exportsRoot)
        let transfers = services.transfers
        let catalog = context.catalog
        let work = ExportWork(lines: lines)
        DispatchQueue.global().async {
            do throws(FileSystemError) {
                try ExportWriter.writeStarted(record, exportId: exportId, store: store)
                let written = try ExportWriter.write(work.lines, record: record, exportId: exportId, incremental: isIncremental,
                                                     endTime: catalog.now(), store: store)
                transfers.updateExport(record.arn) { current in
                    current.status = "COMPLETED"
                    current.endTime = catalog.now()
                    current.itemCount = written.items
                    current.billedSizeBytes = written.bytes
                    current.manifestKey = written.manifest
                }
            } catch {
                transfers.updateExport(record.arn) { current in
                    current.status = "FAILED"
                    current.endTime = catalog.now()
                    current.failureCode = "S3AccessDenied"
                    current.failureMessage = error.description
                }
            }
        }
        return .object(JSONObject([("ExportDescription", ExportDescriptionWriter.description(record))]))
    }

    /// Every key changed in the range: its keys, its image at the end (NEW_IMAGE) and at the start (with
    /// NEW_AND_OLD_IMAGES), and when it was last written.
    static func incrementalLines(table: Table, range: (from: Double, to: Double, viewType: String),
                                 recorder: PointInTimeRecorder) -> [ExportWriter.Line] {
        guard let changed = recorder.changedKeys(tableId: table.tableId, after: range.from, through: range.to),
              let before = recorder.image(tableId: table.tableId, at: range.from),
              let after = recorder.image(tableId: table.tableId, at: range.to) else { return [] }
        var old: [EncodedKey: Item] = [:]
        for entry in before.items where changed[entry.key] != nil { old[entry.key] = entry.item }
        var new: [EncodedKey: Item] = [:]
        for entry in after.items where changed[entry.key] != nil { new[entry.key] = entry.item }
        let schema = table.keySchema
        return changed.keys.sorted().compactMap { key in
            guard let any = new[key] ?? old[key] else { return nil }
            var keys: Item = [:]
            for name in schema.attributeNames { keys[name] = any[name] }
            return ExportWriter.Line(keys: keys, newImage: new[key],
                                     oldImage: range.viewType == "NEW_AND_OLD_IMAGES" ? old[key] : nil,
                                     writeTime: changed[key])
        }
    }

    /// The lines a background export writes (handed over once, never shared).
    private final class ExportWork: @unchecked Sendable {
        let lines: [ExportWriter.Line]
        init(lines: [ExportWriter.Line]) { self.lines = lines }
    }
}

/// DescribeExport and ListExports.
enum ExportQueries {
    static func describe(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try reader.string("ExportArn")
        BackupInput.validateBackupArn(arn, at: "exportArn", required: true, into: &reader)
        try reader.throwValidationErrors()
        guard let record = context.settings.recovery.transfers.export(arn: arn ?? ""), record.namespace == context.namespace else {
            throw DynamoError(.exportNotFound, "Export not found: \(arn ?? "")")
        }
        return .object(JSONObject([("ExportDescription", ExportDescriptionWriter.description(record))]))
    }

    static func list(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableArn = try reader.string("TableArn")
        let maximum = try reader.integer("MaxResults")
        let token = try reader.string("NextToken")
        if let maximum {
            reader.validate(maximum >= 1, value: String(maximum), at: "maxResults", "Member must have value greater than or equal to 1")
            reader.validate(maximum <= 25, value: String(maximum), at: "maxResults", "Member must have value less than or equal to 25")
        }
        try reader.throwValidationErrors()
        var exports = context.settings.recovery.transfers.exports(in: context.namespace)
        if let tableArn { exports = exports.filter { $0.tableArn == tableArn } }
        if let token {
            guard let after = TransferRegistry.arn(fromToken: token), let position = exports.firstIndex(where: { $0.arn == after }) else {
                throw .validation("Invalid NextToken")
            }
            exports = Array(exports[(position + 1)...])
        }
        let page = Array(exports.prefix(Int(maximum ?? 25)))
        var members: [(key: String, value: JSONValue)] = [("ExportSummaries", .array(page.map { record in
            .object(JSONObject([("ExportArn", .string(record.arn)), ("ExportStatus", .string(record.status)),
                                ("ExportType", .string(record.type))]))
        }))]
        if exports.count > page.count, let last = page.last { members.append(("NextToken", .string(TransferRegistry.token(after: last.arn)))) }
        return .object(JSONObject(members))
    }
}

/// Renders `ExportDescription`.
enum ExportDescriptionWriter {
    static func description(_ record: ExportRecord) -> JSONValue {
        func time(_ seconds: Double) -> JSONValue { .number(TableDescriptionWriter.timestamp(seconds)) }
        var members: [(key: String, value: JSONValue)] = [
            ("ExportArn", .string(record.arn)),
            ("ExportStatus", .string(record.status)),
            ("StartTime", time(record.startTime)),
        ]
        if let end = record.endTime { members.append(("EndTime", time(end))) }
        if let manifest = record.manifestKey { members.append(("ExportManifest", .string(manifest))) }
        members.append(("TableArn", .string(record.tableArn)))
        members.append(("TableId", .string(record.tableId)))
        if record.incremental == nil { members.append(("ExportTime", time(record.exportTime))) }
        if let token = record.clientToken { members.append(("ClientToken", .string(token))) }
        members.append(("S3Bucket", .string(record.bucket)))
        if let owner = record.bucketOwner { members.append(("S3BucketOwner", .string(owner))) }
        if let prefix = record.prefix { members.append(("S3Prefix", .string(prefix))) }
        members.append(("S3SseAlgorithm", .string(record.sseAlgorithm ?? "AES256")))
        if let key = record.sseKmsKeyId { members.append(("S3SseKmsKeyId", .string(key))) }
        if let code = record.failureCode { members.append(("FailureCode", .string(code))) }
        if let message = record.failureMessage { members.append(("FailureMessage", .string(message))) }
        members.append(("ExportFormat", .string(record.format)))
        if record.status == "COMPLETED" {
            members.append(("BilledSizeBytes", .number(String(record.billedSizeBytes))))
            members.append(("ItemCount", .number(String(record.itemCount))))
        }
        members.append(("ExportType", .string(record.type)))
        if let range = record.incremental {
            members.append(("IncrementalExportSpecification", .object(JSONObject([
                ("ExportFromTime", time(range.from)), ("ExportToTime", time(range.to)),
                ("ExportViewType", .string(range.viewType)),
            ]))))
        }
        return .object(JSONObject(members))
    }
}
