import JSON
import Storage
import Synchronization

/// One ExportTableToPointInTime request and its progress.
struct ExportRecord: Sendable {
    var arn: String
    var namespace: Namespace
    var status = "IN_PROGRESS"
    var startTime: Double
    var endTime: Double?
    var exportTime: Double
    var tableArn: String
    var tableId: String
    var clientToken: String?
    var bucket: String
    var bucketOwner: String?
    var prefix: String?
    var sseAlgorithm: String?
    var sseKmsKeyId: String?
    var format: String
    var type: String
    /// INCREMENTAL_EXPORT: from, to, view type.
    var incremental: (from: Double, to: Double, viewType: String)?
    var itemCount = 0
    var billedSizeBytes = 0
    var manifestKey: String?
    var failureCode: String?
    var failureMessage: String?
}

/// One ImportTable request and its progress.
struct ImportRecord: Sendable {
    var arn: String
    var namespace: Namespace
    var status = "IN_PROGRESS"
    var tableArn: String
    var tableId: String
    var clientToken: String?
    var bucket: String
    var bucketOwner: String?
    var keyPrefix: String?
    var format: String
    var formatOptions: CSVOptions?
    var compression: String
    /// TableCreationParameters as sent (echoed by DescribeImport).
    var creationParameters: JSONObject
    var startTime: Double
    var endTime: Double?
    var errorCount = 0
    var processedSizeBytes = 0
    var processedItemCount = 0
    var importedItemCount = 0
    var failureCode: String?
    var failureMessage: String?
    /// Where the log of rejected lines is (relative to the exports root).
    var logKey: String
}

/// CSV import options: one-character delimiter and an optional header list.
struct CSVOptions: Sendable {
    var delimiter: UInt8 = UInt8(ascii: ",")
    var headers: [String]?
}

/// Exports and imports of this server's lifetime (their files stay on disk; the list does not survive a restart).
final class TransferRegistry: Sendable {
    private let exports = Mutex<[String: ExportRecord]>([:])
    private let imports = Mutex<[String: ImportRecord]>([:])

    func add(_ record: ExportRecord) { exports.withLock { $0[record.arn] = record } }
    func add(_ record: ImportRecord) { imports.withLock { $0[record.arn] = record } }

    func export(arn: String) -> ExportRecord? { exports.withLock { $0[arn] } }
    func `import`(arn: String) -> ImportRecord? { imports.withLock { $0[arn] } }

    func updateExport(_ arn: String, _ change: (inout ExportRecord) -> Void) {
        exports.withLock { if var record = $0[arn] { change(&record); $0[arn] = record } }
    }

    func updateImport(_ arn: String, _ change: (inout ImportRecord) -> Void) {
        imports.withLock { if var record = $0[arn] { change(&record); $0[arn] = record } }
    }

    /// Oldest first.
    func exports(in namespace: Namespace) -> [ExportRecord] {
        exports.withLock { Array($0.values) }.filter { $0.namespace == namespace }
            .sorted { ($0.startTime, $0.arn) < ($1.startTime, $1.arn) }
    }

    func imports(in namespace: Namespace) -> [ImportRecord] {
        imports.withLock { Array($0.values) }.filter { $0.namespace == namespace }
            .sorted { ($0.startTime, $0.arn) < ($1.startTime, $1.arn) }
    }

    /// Page tokens: the hex of the last ARN returned (DynamoDB's import tokens are at least 112 characters).
    static func token(after arn: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: arn.utf8.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    static func arn(fromToken token: String) -> String? {
        let digits = Array(token.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
