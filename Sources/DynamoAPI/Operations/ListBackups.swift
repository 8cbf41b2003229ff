import DynamoModel
import JSON
import Storage

/// ListBackups: the caller's backups, oldest first, filtered by table, creation time and type, a page at a time.
enum ListBackups {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let limit = try reader.integer("Limit")
        let lower = try TimestampInput.read(input["TimeRangeLowerBound"])
        let upper = try TimestampInput.read(input["TimeRangeUpperBound"])
        let start = try reader.string("ExclusiveStartBackupArn")
        let type = try reader.string("BackupType")
        if tableName != nil { reader.validateTableNameOrArn(tableName, at: "tableName") }
        if let limit {
            reader.validate(limit >= 1, value: String(limit), at: "limit", "Member must have value greater than or equal to 1")
            reader.validate(limit <= 100, value: String(limit), at: "limit", "Member must have value less than or equal to 100")
        }
        BackupInput.validateBackupArn(start, at: "exclusiveStartBackupArn", required: false, into: &reader)
        reader.validateEnum(type, at: "backupType", allowed: ["USER", "SYSTEM", "AWS_BACKUP", "ALL"])
        try reader.throwValidationErrors()

        let table = tableName.map(TableLookup.tableName(from:))
        var backups = context.settings.recovery.backups.backups(in: context.namespace).filter { backup in
            if let table, backup.source.name != table { return false }
            if let lower, backup.creationDateTime < lower { return false }
            if let upper, backup.creationDateTime >= upper { return false }
            if let type, type != "ALL", backup.type != type { return false }
            return true
        }
        if let start, let position = backups.firstIndex(where: { $0.arn == start }) {
            backups = Array(backups[(position + 1)...])
        }
        let pageSize = Int(limit ?? 100)
        let page = Array(backups.prefix(pageSize))
        var members: [(key: String, value: JSONValue)] = [("BackupSummaries", .array(page.map(BackupDescriptionWriter.summary)))]
        if backups.count > page.count, let last = page.last { members.append(("LastEvaluatedBackupArn", .string(last.arn))) }
        return .object(JSONObject(members))
    }
}

/// Timestamps as the SDKs send them: epoch seconds (a JSON number, possibly fractional).
enum TimestampInput {
    static func read(_ value: JSONValue?) throws(DynamoError) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let text)?:
            guard let seconds = Double(text), seconds.isFinite else {
                throw DynamoError(.serialization, "NUMBER_VALUE cannot be converted to Date")
            }
            return seconds
        case let other?: throw InputReader.typeMismatch(other, expected: "Date")
        }
    }
}
