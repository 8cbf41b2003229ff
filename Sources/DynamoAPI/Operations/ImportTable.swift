import Dispatch
import DynamoModel
import JSON
import Storage

/// ImportTable: creates a table and fills it, in the background, from DYNAMODB_JSON, ION or CSV objects (gzip or
/// none) under a bucket and key prefix of the local S3 stand-in. A bad line is counted in `ErrorCount` and logged
/// (to `<exports root>/_logs/aws-dynamodb/imports/<import-id>.log`); it never stops the import.
enum ImportTable {

    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let clientToken = try reader.string("ClientToken")
        let source = try reader.object("S3BucketSource")
        let bucket = try InputReader.string(source?["S3Bucket"])
        let bucketOwner = try InputReader.string(source?["S3BucketOwner"])
        let keyPrefix = try InputReader.string(source?["S3KeyPrefix"])
        let format = try reader.string("InputFormat")
        let options = try reader.object("InputFormatOptions")
        let csvOptions = try InputReader.object(options?["Csv"])
        let delimiter = try InputReader.string(csvOptions?["Delimiter"])
        var headers: [String]?
        if let list = try InputReader.array(csvOptions?["HeaderList"]) {
            var names: [String] = []
            for entry in list { names.append(try InputReader.string(entry) ?? "") }
            headers = names
        }
        let compression = try reader.string("InputCompressionType")
        let parameters = try reader.object("TableCreationParameters")
        if source == nil {
            reader.require(false, at: "s3BucketSource")
        } else if let bucket {
            reader.validate(bucket.utf8.count <= 255, value: bucket, at: "s3BucketSource.s3Bucket", "Member must have length less than or equal to 255")
        } else {
            reader.require(false, at: "s3BucketSource.s3Bucket")
        }
        if let keyPrefix {
            reader.validate(keyPrefix.utf8.count <= 1024, value: keyPrefix, at: "s3BucketSource.s3KeyPrefix", "Member must have length less than or equal to 1024")
        }
        if format == nil { reader.require(false, at: "inputFormat") }
        reader.validateEnum(format, at: "inputFormat", allowed: ["DYNAMODB_JSON", "ION", "CSV"])
        reader.validateEnum(compression, at: "inputCompressionType", allowed: ["GZIP", "ZSTD", "NONE"])
        if let delimiter {
            reader.validate(delimiter.utf8.count == 1, value: delimiter, at: "inputFormatOptions.csv.delimiter", "Member must have length less than or equal to 1")
        }
        if parameters == nil { reader.require(false, at: "tableCreationParameters") }
        try reader.throwValidationErrors()
        guard let bucket, let format, let parameters else { throw .validation("Missing required parameters") }

        let services = context.settings.recovery
        if let clientToken, let earlier = services.transfers.imports(in: context.namespace).last(where: { $0.clientToken == clientToken }) {
            return .object(JSONObject([("ImportTableDescription", ImportDescriptionWriter.description(earlier))]))
        }
        // The table is created exactly as CreateTable would create it, with CreateTable's validation.
        var createInput = JSONObject()
        for name in ["TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput", "SSESpecification",
                     "GlobalSecondaryIndexes"] {
            if let value = parameters[name] { createInput.members.append((name, value)) }
        }
        if parameters["BillingMode"] == nil && parameters["ProvisionedThroughput"] == nil {
            createInput.members.append(("BillingMode", .string("PAY_PER_REQUEST")))
        }
        var quiet = context
        quiet.settings.tableCreationDelaySeconds = 0
        _ = try CreateTable.handle(createInput, quiet)
        guard let tableName = try InputReader.string(parameters["TableName"]),
              let table = context.catalog.table(named: tableName, in: context.namespace) else {
            throw .internalServerError("The imported table disappeared while it was being created")
        }
        table.updateDefinition { $0.status = .creating }

        let now = context.catalog.now()
        let importId = BackupInput.timestampedId(now: now)
        var csv = CSVOptions()
        if let delimiter, let byte = delimiter.utf8.first { csv.delimiter = byte }
        csv.headers = headers
        let record = ImportRecord(arn: "\(table.definition.arn)/import/\(importId)", namespace: context.namespace,
                                  tableArn: table.definition.arn, tableId: table.tableId, clientToken: clientToken,
                                  bucket: bucket, bucketOwner: bucketOwner, keyPrefix: keyPrefix, format: format,
                                  formatOptions: format == "CSV" ? csv : nil, compression: compression ?? "NONE",
                                  creationParameters: parameters, startTime: now,
                                  logKey: "aws-dynamodb/imports/\(importId).log")
        services.transfers.add(record)
        let transfers = services.transfers
        let store = LocalObjectStore(root: services.exportsRoot)
        let catalog = context.catalog
        let importReader = ImportReader(format: format, csv: csv, attributeTypes: Dictionary(table.definition.attributeDefinitions.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first }))
        let settings = context.settings
        DispatchQueue.global().async { [table] in
            run(record, table: table, store: store, transfers: transfers, reader: importReader, settings: settings,
                now: { catalog.now() })
        }
        return .object(JSONObject([("ImportTableDescription", ImportDescriptionWriter.description(record))]))
    }

    /// Reads every object under the prefix, writes the good items, counts and logs the bad lines, then makes the
    /// table ACTIVE (or the import FAILED when there is no such bucket).
    static func run(_ record: ImportRecord, table: Table, store: LocalObjectStore, transfers: TransferRegistry,
                    reader: ImportReader, settings: APISettings, now: @escaping () -> Double) {
        var log: [UInt8] = []
        func reject(_ key: String, _ line: Int?, _ reason: String) {
            transfers.updateImport(record.arn) { $0.errorCount += 1 }
            log += Array("s3://\(record.bucket)/\(key)\(line.map { " line \($0)" } ?? ""): \(reason)\n".utf8)
            if log.count > 1 << 16 { flushLog(&log, record: record, store: store) }
        }
        guard store.bucketExists(record.bucket) else {
            transfers.updateImport(record.arn) { current in
                current.status = "FAILED"
                current.endTime = now()
                current.failureCode = "S3NoSuchBucket"
                current.failureMessage = "The specified bucket does not exist"
            }
            table.updateDefinition { $0.status = .active }
            return
        }
        for key in store.keys(bucket: record.bucket, prefix: record.keyPrefix ?? "") {
            guard let raw = try? store.get(bucket: record.bucket, key: key) else {
                reject(key, nil, "The object could not be read")
                continue
            }
            transfers.updateImport(record.arn) { $0.processedSizeBytes += raw.count }
            var text = raw
            switch record.compression {
            case "GZIP":
                guard let inflated = LocalObjectStore.gunzip(raw) else {
                    reject(key, nil, "The object is not valid GZIP data")
                    continue
                }
                text = inflated
            case "ZSTD":
                reject(key, nil, "ZSTD compression is not supported by SwiftDynamo yet")
                continue
            default:
                break
            }
            reader.items(in: text) { result in
                transfers.updateImport(record.arn) { $0.processedItemCount += 1 }
                switch result {
                case .failure(let error):
                    reject(key, error.line, error.reason)
                case .success(let item):
                    do throws(DynamoError) {
                        var current: Item?
                        _ = try ItemWrite.importing(item, into: table).apply(settings: settings, seen: &current)
                    } catch {
                        reject(key, nil, error.message ?? error.kind.rawValue)
                        return
                    }
                    transfers.updateImport(record.arn) { $0.importedItemCount += 1 }
                }
            }
        }
        flushLog(&log, record: record, store: store)
        table.updateDefinition { $0.status = .active }
        transfers.updateImport(record.arn) { current in
            current.status = "COMPLETED"
            current.endTime = now()
        }
    }

    private static func flushLog(_ log: inout [UInt8], record: ImportRecord, store: LocalObjectStore) {
        guard !log.isEmpty else { return }
        try? store.append(bucket: "_logs", key: record.logKey, log)
        log = []
    }
}

/// DescribeImport and ListImports.
enum ImportQueries {
    static func describe(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try reader.string("ImportArn")
        BackupInput.validateBackupArn(arn, at: "importArn", required: true, into: &reader)
        try reader.throwValidationErrors()
        guard let record = context.settings.recovery.transfers.import(arn: arn ?? ""), record.namespace == context.namespace else {
            throw DynamoError(.importNotFound, "Import not found: \(arn ?? "")")
        }
        return .object(JSONObject([("ImportTableDescription", ImportDescriptionWriter.description(record))]))
    }

    static func list(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableArn = try reader.string("TableArn")
        let pageSize = try reader.integer("PageSize")
        let token = try reader.string("NextToken")
        if let pageSize {
            reader.validate(pageSize >= 1, value: String(pageSize), at: "pageSize", "Member must have value greater than or equal to 1")
            reader.validate(pageSize <= 25, value: String(pageSize), at: "pageSize", "Member must have value less than or equal to 25")
        }
        if let token {
            reader.validate(token.utf8.count >= 112, value: token, at: "nextToken", "Member must have length greater than or equal to 112")
        }
        try reader.throwValidationErrors()
        var imports = context.settings.recovery.transfers.imports(in: context.namespace)
        if let tableArn { imports = imports.filter { $0.tableArn == tableArn } }
        if let token {
            guard let after = TransferRegistry.arn(fromToken: token), let position = imports.firstIndex(where: { $0.arn == after }) else {
                throw .validation("Invalid NextToken")
            }
            imports = Array(imports[(position + 1)...])
        }
        let page = Array(imports.prefix(Int(pageSize ?? 25)))
        var members: [(key: String, value: JSONValue)] = [("ImportSummaryList", .array(page.map(ImportDescriptionWriter.summary)))]
        if imports.count > page.count, let last = page.last { members.append(("NextToken", .string(TransferRegistry.token(after: last.arn)))) }
        return .object(JSONObject(members))
    }
}

/// Renders `ImportTableDescription` and `ImportSummary`.
enum ImportDescriptionWriter {
    static func logGroupArn(_ record: ImportRecord) -> String {
        "arn:aws:logs:\(record.namespace.region):\(record.namespace.accountId):log-group:/aws-dynamodb/imports:*"
    }

    static func source(_ record: ImportRecord) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        if let owner = record.bucketOwner { members.append(("S3BucketOwner", .string(owner))) }
        members.append(("S3Bucket", .string(record.bucket)))
        if let prefix = record.keyPrefix { members.append(("S3KeyPrefix", .string(prefix))) }
        return .object(JSONObject(members))
    }

    static func description(_ record: ImportRecord) -> JSONValue {
        func time(_ seconds: Double) -> JSONValue { .number(TableDescriptionWriter.timestamp(seconds)) }
        var members: [(key: String, value: JSONValue)] = [
            ("ImportArn", .string(record.arn)),
            ("ImportStatus", .string(record.status)),
            ("TableArn", .string(record.tableArn)),
            ("TableId", .string(record.tableId)),
        ]
        if let token = record.clientToken { members.append(("ClientToken", .string(token))) }
        members.append(("S3BucketSource", source(record)))
        members.append(("ErrorCount", .number(String(record.errorCount))))
        members.append(("CloudWatchLogGroupArn", .string(logGroupArn(record))))
        members.append(("InputFormat", .string(record.format)))
        if let csv = record.formatOptions {
            var options: [(key: String, value: JSONValue)] = [("Delimiter", .string(String(decoding: [csv.delimiter], as: UTF8.self)))]
            if let headers = csv.headers { options.append(("HeaderList", .array(headers.map { JSONValue.string($0) }))) }
            members.append(("InputFormatOptions", .object(JSONObject([("Csv", .object(JSONObject(options)))]))))
        }
        members.append(("InputCompressionType", .string(record.compression)))
        members.append(("TableCreationParameters", .object(record.creationParameters)))
        members.append(("StartTime", time(record.startTime)))
        if let end = record.endTime { members.append(("EndTime", time(end))) }
        members.append(("ProcessedSizeBytes", .number(String(record.processedSizeBytes))))
        members.append(("ProcessedItemCount", .number(String(record.processedItemCount))))
        members.append(("ImportedItemCount", .number(String(record.importedItemCount))))
        if let code = record.failureCode { members.append(("FailureCode", .string(code))) }
        if let message = record.failureMessage { members.append(("FailureMessage", .string(message))) }
        return .object(JSONObject(members))
    }

    static func summary(_ record: ImportRecord) -> JSONValue {
        func time(_ seconds: Double) -> JSONValue { .number(TableDescriptionWriter.timestamp(seconds)) }
        var members: [(key: String, value: JSONValue)] = [
            ("ImportArn", .string(record.arn)),
            ("ImportStatus", .string(record.status)),
            ("TableArn", .string(record.tableArn)),
            ("S3BucketSource", source(record)),
            ("CloudWatchLogGroupArn", .string(logGroupArn(record))),
            ("InputFormat", .string(record.format)),
            ("StartTime", time(record.startTime)),
        ]
        if let end = record.endTime { members.append(("EndTime", time(end))) }
        return .object(JSONObject(members))
    }
}
