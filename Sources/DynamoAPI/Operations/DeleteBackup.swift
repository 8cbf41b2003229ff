import DynamoModel
import JSON
import Storage

/// DeleteBackup: removes a backup (refused while a restore reads it); answers with its description, now DELETED.
enum DeleteBackup {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try reader.string("BackupArn")
        BackupInput.validateBackupArn(arn, at: "backupArn", required: true, into: &reader)
        try reader.throwValidationErrors()
        let arnText = arn ?? ""
        _ = try BackupInput.backup(arn: arnText, context: context)
        switch context.settings.recovery.backups.delete(arn: arnText) {
        case .notFound:
            throw RecoveryErrors.backupNotFound(arnText)
        case .inUse:
            throw RecoveryErrors.backupInUse(arnText)
        case .deleted(let backup):
            return .object(JSONObject([
                ("BackupDescription", BackupDescriptionWriter.description(backup, encryptedAtRest: context.settings.encryptionAtRest)),
            ]))
        }
    }
}
