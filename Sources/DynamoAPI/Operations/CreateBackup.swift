import DynamoModel
import JSON
import Storage

/// CreateBackup: a consistent image of the table, taken without blocking writers, stored until DeleteBackup.
enum CreateBackup {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let backupName = try reader.string("BackupName")
        reader.validateTableNameOrArn(tableName, at: "tableName")
        BackupInput.validateBackupName(backupName, into: &reader)
        try reader.throwValidationErrors()
        guard let tableName, let backupName else { throw .validation("Missing required parameters") }

        let name = TableLookup.tableName(from: tableName)
        guard let table = context.catalog.table(named: name, in: context.namespace) else {
            throw RecoveryErrors.tableNotFound(name)
        }
        if table.definition.status == .creating { throw RecoveryErrors.tableInUse(name) }
        let services = context.settings.recovery
        let image = ConsistentSnapshot.capture(table, observing: services.fanOut)
        let record = BackupRecord(arn: BackupInput.newBackupArn(tableArn: image.definition.arn, now: context.now),
                                  name: backupName, namespace: context.namespace, source: image.definition,
                                  itemCount: image.items.count, sizeInBytes: image.sizeInBytes,
                                  creationDateTime: context.now)
        do throws(DurabilityError) {
            try services.backups.save(record, image: image)
        } catch {
            throw .internalServerError("The backup could not be stored: \(error.description)")
        }
        return .object(JSONObject([("BackupDetails", BackupDescriptionWriter.details(record))]))
    }
}

/// Input rules and identifiers shared by the backup operations.
enum BackupInput {
    static func validateBackupName(_ name: String?, into reader: inout InputReader) {
        guard let name else { return reader.require(false, at: "backupName") }
        reader.validate(TableNameRules.matchesPattern(name), value: name, at: "backupName",
                        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
        reader.validate(name.utf8.count >= 3, value: name, at: "backupName", "Member must have length greater than or equal to 3")
        reader.validate(name.utf8.count <= 255, value: name, at: "backupName", "Member must have length less than or equal to 255")
    }

    static func validateBackupArn(_ arn: String?, at path: String, required: Bool, into reader: inout InputReader) {
        guard let arn else {
            if required { reader.require(false, at: path) }
            return
        }
        reader.validate(arn.utf8.count >= 37, value: arn, at: path, "Member must have length greater than or equal to 37")
        reader.validate(arn.utf8.count <= 1024, value: arn, at: path, "Member must have length less than or equal to 1024")
    }

    /// `<table ARN>/backup/<id>`, as DynamoDB names backups.
    static func newBackupArn(tableArn: String, now: Double) -> String {
        "\(tableArn)/backup/\(timestampedId(now: now))"
    }

    /// `<13-digit milliseconds>-<8 hex digits>`: the id DynamoDB gives backups, exports and imports.
    static func timestampedId(now: Double) -> String {
        var milliseconds = String(Int64(now * 1000))
        while milliseconds.count < 13 { milliseconds = "0" + milliseconds }
        return "\(milliseconds)-\(Identifiers.uuid().filter { $0 != "-" }.prefix(8))"
    }

    /// The caller's backup with this ARN, or DynamoDB's BackupNotFoundException.
    static func backup(arn: String, context: RequestContext) throws(DynamoError) -> BackupRecord {
        guard let backup = context.settings.recovery.backups.backup(arn: arn), backup.namespace == context.namespace else {
            throw RecoveryErrors.backupNotFound(arn)
        }
        return backup
    }
}
