import DynamoModel
import JSON
import Storage

/// RestoreTableToPointInTime: a new table holding exactly what the source held at one instant of its recovery
/// window: every change made by then, none made after.
enum RestoreTableToPointInTime {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let sourceArn = try reader.string("SourceTableArn")
        let sourceName = try reader.string("SourceTableName")
        let targetName = try reader.string("TargetTableName")
        let useLatest = try reader.boolean("UseLatestRestorableTime")
        let restoreTime = try TimestampInput.read(input["RestoreDateTime"])
        if let sourceArn {
            reader.validate(!sourceArn.isEmpty, value: sourceArn, at: "sourceTableArn", "Member must have length greater than or equal to 1")
            reader.validate(sourceArn.utf8.count <= 1024, value: sourceArn, at: "sourceTableArn", "Member must have length less than or equal to 1024")
        }
        if sourceName != nil { reader.validateTableName(sourceName, at: "sourceTableName") }
        reader.validateTableName(targetName, at: "targetTableName")
        let overrides = try RestoreOverrides.read(input, into: &reader)
        try reader.throwValidationErrors()
        guard let targetName else { throw .validation("Missing required parameters") }
        if sourceArn != nil && sourceName != nil {
            throw .validation("One or more parameter values were invalid: Only one of SourceTableArn or SourceTableName can be specified")
        }
        guard let source = sourceArn.map(TableLookup.tableName(from:)) ?? sourceName else {
            throw .validation("One or more parameter values were invalid: Either SourceTableArn or SourceTableName must be specified")
        }
        if useLatest == true && restoreTime != nil {
            throw .validation("One or more parameter values were invalid: Only one of RestoreDateTime or UseLatestRestorableTime can be specified")
        }

        let table = try ContinuousBackups.sourceTable(source, context: context)
        if let sourceArn, table.definition.arn != sourceArn { throw RecoveryErrors.tableNotFound(source) }
        guard let settings = table.definition.pointInTimeRecovery, settings.enabled else {
            throw RecoveryErrors.pointInTimeRecoveryUnavailable(source)
        }
        if context.catalog.table(named: targetName, in: context.namespace) != nil {
            throw RecoveryErrors.tableAlreadyExists(targetName)
        }
        let now = context.catalog.now()
        let window = ContinuousBackups.window(settings, now: now)
        let instant = useLatest == true || restoreTime == nil ? window.latest : restoreTime ?? now
        guard instant >= window.earliest - 0.0005, instant <= window.latest else { throw RecoveryErrors.invalidRestoreTime }
        guard let image = context.settings.recovery.pointInTime.image(tableId: table.tableId, at: instant) else {
            throw RecoveryErrors.pointInTimeRecoveryUnavailable(source)
        }
        // The restored table takes the source's current settings, as DynamoDB's does.
        var definition = try overrides.definition(from: table.definition, name: targetName, context: context)
        definition.restoreSummary = RestoreSummary(sourceBackupArn: nil, sourceTableArn: table.definition.arn,
                                                   restoreDateTime: instant, inProgress: true)
        return try TableRestore.start(definition, items: image.items, context: context)
    }
}
