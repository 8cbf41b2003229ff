import DynamoModel
import JSON
import Storage

/// DescribeBackup: a backup's details, its source table's details and the table's features.
enum DescribeBackup {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try reader.string("BackupArn")
        BackupInput.validateBackupArn(arn, at: "backupArn", required: true, into: &reader)
        try reader.throwValidationErrors()
        let backup = try BackupInput.backup(arn: arn ?? "", context: context)
        return .object(JSONObject([
            ("BackupDescription", BackupDescriptionWriter.description(backup, encryptedAtRest: context.settings.encryptionAtRest)),
        ]))
    }
}
