import DynamoModel
import JSON
import Storage

/// RestoreTableFromBackup: a new table with a backup's items, optionally with other billing, indexes or SSE.
enum RestoreTableFromBackup {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let targetName = try reader.string("TargetTableName")
        let arn = try reader.string("BackupArn")
        reader.validateTableName(targetName, at: "targetTableName")
        BackupInput.validateBackupArn(arn, at: "backupArn", required: true, into: &reader)
        let overrides = try RestoreOverrides.read(input, into: &reader)
        try reader.throwValidationErrors()
        guard let targetName, let arn else { throw .validation("Missing required parameters") }

        let backup = try BackupInput.backup(arn: arn, context: context)
        if context.catalog.table(named: targetName, in: context.namespace) != nil {
            throw RecoveryErrors.tableAlreadyExists(targetName)
        }
        var definition = try overrides.definition(from: backup.source, name: targetName, context: context)
        definition.restoreSummary = RestoreSummary(sourceBackupArn: backup.arn, sourceTableArn: backup.source.arn,
                                                   restoreDateTime: backup.creationDateTime, inProgress: true)
        let backups = context.settings.recovery.backups
        let image: TableImage?
        do throws(DurabilityError) {
            image = try backups.beginRestore(arn: arn)
        } catch {
            throw .internalServerError("The backup could not be read: \(error.description)")
        }
        guard let image else { throw RecoveryErrors.backupNotFound(arn) }
        do throws(DynamoError) {
            return try TableRestore.start(definition, items: image.items, context: context) {
                backups.endRestore(arn: arn)
            }
        } catch {
            backups.endRestore(arn: arn)
            throw error
        }
    }
}
