import DynamoModel

/// The errors of backups, point-in-time recovery and restores, worded as DynamoDB words them.
enum RecoveryErrors {
    static func tableNotFound(_ name: String) -> DynamoError {
        DynamoError(.tableNotFound, "Table not found: \(name)")
    }

    static func backupNotFound(_ arn: String) -> DynamoError {
        DynamoError(.backupNotFound, "Backup not found: \(arn)")
    }

    static func tableAlreadyExists(_ name: String) -> DynamoError {
        DynamoError(.tableAlreadyExists, "Table already exists: \(name)")
    }

    static func backupInUse(_ arn: String) -> DynamoError {
        DynamoError(.backupInUse, "Backup is being used to restore a table: \(arn)")
    }

    static func tableInUse(_ name: String) -> DynamoError {
        DynamoError(.tableInUse, "Table is being created: \(name)")
    }

    static func pointInTimeRecoveryUnavailable(_ name: String) -> DynamoError {
        DynamoError(.pointInTimeRecoveryUnavailable, "Point in time recovery is not enabled for table '\(name)'")
    }

    static let invalidExportTime = DynamoError(.invalidExportTime,
        "Invalid export time specified. ExportTime must be between EarliestRestorableDateTime and LatestRestorableDateTime.")

    static let invalidRestoreTime = DynamoError(.invalidRestoreTime,
        "Invalid restore time specified. RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime.")
}
