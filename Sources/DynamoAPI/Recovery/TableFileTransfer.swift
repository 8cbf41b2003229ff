import DynamoModel
import JSON
import Storage

/// The shell's `swiftdynamo export` / `swiftdynamo import`: a table to or from a directory in DynamoDB's export
/// layout, with progress reports.
package enum TableFileTransfer {
    /// Progress: units done, units in all (nil when unknown), bytes so far.
    package typealias Progress = (_ done: Int, _ total: Int?, _ bytes: Int) -> Void

    /// What an export or import did.
    package struct Outcome: Sendable {
        package var items = 0
        package var bytes = 0
        package var errors = 0
        /// The export's folder (export) or the error log (import, when there were errors).
        package var path: String?
    }

    /// Writes the table's current items to `<directory>/AWSDynamoDB/<export-id>/` in DynamoDB's export layout.
    package static func export(_ table: Table, namespace: Namespace, to directory: String, format: String, now: Double,
                               progress: Progress) throws(FileSystemError) -> Outcome {
        var lines: [ExportWriter.Line] = []
        let total = table.itemCount
        var bytes = 0
        table.scan { _, item in
            lines.append(ExportWriter.Line(keys: [:], newImage: item, oldImage: nil, writeTime: nil))
            bytes += ItemSize.of(item)
            if lines.count % 1000 == 0 { progress(lines.count, total, bytes) }
            return true
        }
        progress(lines.count, total, bytes)
        let exportId = BackupInput.timestampedId(now: now)
        let definition = table.definition
        // The directory plays the bucket (its parent the exports root), so manifests name it as s3Bucket.
        var components = directory.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var bucket = components.popLast() ?? "."
        var root = (directory.hasPrefix("/") ? "/" : "") + components.joined(separator: "/")
        if !LocalObjectStore.isSafe(bucket: bucket) {
            bucket = "."
            root = directory
        }
        if root.isEmpty { root = "." }
        let record = ExportRecord(arn: "\(definition.arn)/export/\(exportId)", namespace: namespace, startTime: now,
                                  exportTime: now, tableArn: definition.arn, tableId: definition.tableId, bucket: bucket,
                                  format: format, type: "FULL_EXPORT")
        let store = LocalObjectStore(root: root)
        try ExportWriter.writeStarted(record, exportId: exportId, store: store)
        let written = try ExportWriter.write(lines, record: record, exportId: exportId, incremental: false, endTime: now,
                                             store: store)
        return Outcome(items: written.items, bytes: written.bytes, errors: 0,
                       path: "\(directory)/\(ExportWriter.folder(prefix: nil, exportId: exportId))")
    }

    /// Reads every DynamoDB JSON (`.json`, `.json.gz`), Ion (`.ion`, `.ion.gz`) and CSV (`.csv`, `.csv.gz`) file under
    /// `directory` into the
    /// table, skipping export manifests; bad lines are counted and logged to `<directory>/import-errors.log`.
    package static func `import`(from directory: String, into table: Table, progress: Progress) throws(FileSystemError) -> Outcome {
        let store = LocalObjectStore(root: directory)
        let files = store.keys(bucket: ".", prefix: "").filter { key in
            let name = key.split(separator: "/").last.map(String.init) ?? key
            return !name.hasPrefix("manifest-") && [".json", ".json.gz", ".ion", ".ion.gz", ".csv", ".csv.gz"].contains { name.hasSuffix($0) }
        }
        let sizes = files.map { (try? store.get(bucket: ".", key: $0).count) ?? 0 }
        let totalBytes = sizes.reduce(0, +)
        var outcome = Outcome()
        var log: [UInt8] = []
        var bytesDone = 0
        let types = Dictionary(table.definition.attributeDefinitions.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        for (key, size) in zip(files, sizes) {
            defer {
                bytesDone += size
                progress(bytesDone, totalBytes, bytesDone)
            }
            guard var text = try? store.get(bucket: ".", key: key) else { continue }
            if key.hasSuffix(".gz") {
                guard let inflated = LocalObjectStore.gunzip(text) else {
                    outcome.errors += 1
                    log += Array("\(key): not valid GZIP data\n".utf8)
                    continue
                }
                text = inflated
            }
            let plain = key.hasSuffix(".gz") ? String(key.dropLast(3)) : key
            let format = plain.hasSuffix(".csv") ? "CSV" : plain.hasSuffix(".ion") ? "ION" : "DYNAMODB_JSON"
            let reader = ImportReader(format: format,
                                      csv: CSVOptions(), attributeTypes: types)
            reader.items(in: text) { result in
                switch result {
                case .failure(let error):
                    outcome.errors += 1
                    log += Array("\(key) line \(error.line): \(error.reason)\n".utf8)
                case .success(let item):
                    do throws(DynamoError) {
                        var current: Item?
                        _ = try ItemWrite.importing(item, into: table).apply(settings: APISettings(), seen: &current)
                    } catch {
                        outcome.errors += 1
                        log += Array("\(key): \(error.message ?? error.kind.rawValue)\n".utf8)
                        return
                    }
                    outcome.items += 1
                    outcome.bytes += ItemSize.of(item)
                }
            }
        }
        if !log.isEmpty {
            try store.put(bucket: ".", key: "import-errors.log", log)
            outcome.path = "\(directory)/import-errors.log"
        }
        return outcome
    }

    /// A new on-demand table for an import, keyed as `--key name:TYPE [--sort-key name:TYPE]` says.
    package static func newTableDefinition(name: String, partitionKey: KeyAttribute, sortKey: KeyAttribute?,
                                           namespace: Namespace, now: Double) -> TableDefinition {
        var definition = TableDefinition(
            name: name, tableId: Identifiers.uuid(),
            arn: Identifiers.tableArn(region: namespace.region, accountId: namespace.accountId, tableName: name),
            keySchema: KeySchema(partitionKey: partitionKey, sortKey: sortKey),
            attributeDefinitions: [partitionKey] + (sortKey.map { [$0] } ?? []), billingMode: .payPerRequest,
            provisionedThroughput: ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0), creationDateTime: now)
        definition.lastUpdateToPayPerRequestDateTime = now
        return definition
    }
}
