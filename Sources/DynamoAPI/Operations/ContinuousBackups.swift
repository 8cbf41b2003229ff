import DynamoModel
import JSON
import Storage

/// UpdateContinuousBackups and DescribeContinuousBackups: point-in-time recovery on or off, with its window.
enum ContinuousBackups {
    static func update(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let specification = try reader.object("PointInTimeRecoverySpecification")
        var enabled: Bool?
        switch specification?["PointInTimeRecoveryEnabled"] {
        case nil, .null?: enabled = nil
        case .bool(let flag)?: enabled = flag
        case let other?: throw InputReader.typeMismatch(other, expected: "Boolean")
        }
        let period = try InputReader.integer(specification?["RecoveryPeriodInDays"], javaType: "Integer")
        reader.validateTableNameOrArn(tableName, at: "tableName")
        if specification == nil {
            reader.require(false, at: "pointInTimeRecoverySpecification")
        } else {
            reader.require(enabled != nil, at: "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled")
        }
        if let period {
            let path = "pointInTimeRecoverySpecification.recoveryPeriodInDays"
            reader.validate(period >= 1, value: String(period), at: path, "Member must have value greater than or equal to 1")
            reader.validate(period <= 35, value: String(period), at: path, "Member must have value less than or equal to 35")
        }
        try reader.throwValidationErrors()
        guard let tableName, let enabled else { throw .validation("Missing required parameters") }

        let table = try sourceTable(tableName, context: context)
        let recorder = context.settings.recovery.pointInTime
        let current = table.definition.pointInTimeRecovery
        let days = period.map(Int.init) ?? current?.recoveryPeriodInDays ?? context.settings.defaultRecoveryPeriodDays
        if enabled {
            var since = current?.enabledDateTime ?? context.now
            if current?.enabled != true {
                do throws(DurabilityError) {
                    since = try recorder.enable(table, now: { context.catalog.now() })
                } catch {
                    throw .internalServerError("Point-in-time recovery could not be enabled: \(error.description)")
                }
            }
            table.updateDefinition { definition in
                definition.pointInTimeRecovery = PointInTimeRecoverySettings(enabled: true, recoveryPeriodInDays: days,
                                                                             enabledDateTime: since)
            }
        } else {
            recorder.disable(tableId: table.tableId)
            table.updateDefinition { definition in
                definition.pointInTimeRecovery = PointInTimeRecoverySettings(enabled: false, recoveryPeriodInDays: days,
                                                                             enabledDateTime: context.now)
            }
        }
        return .object(JSONObject([("ContinuousBackupsDescription", describe(table.definition, now: context.catalog.now()))]))
    }

    static func describe(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        reader.validateTableNameOrArn(tableName, at: "tableName")
        try reader.throwValidationErrors()
        let table = try sourceTable(tableName ?? "", context: context)
        return .object(JSONObject([("ContinuousBackupsDescription", describe(table.definition, now: context.catalog.now()))]))
    }

    /// The table a continuous-backups operation names, or DynamoDB's TableNotFoundException.
    static func sourceTable(_ nameOrArn: String, context: RequestContext) throws(DynamoError) -> Table {
        let name = TableLookup.tableName(from: nameOrArn)
        guard let table = context.catalog.table(named: name, in: context.namespace) else {
            throw RecoveryErrors.tableNotFound(name)
        }
        return table
    }

    /// The instants a restore may choose between: from when recovery was enabled (at most the recovery period
    /// ago) up to now.
    static func window(_ settings: PointInTimeRecoverySettings, now: Double) -> (earliest: Double, latest: Double) {
        let earliest = max(settings.enabledDateTime, now - Double(settings.recoveryPeriodInDays) * 86_400)
        return (earliest, max(earliest, now))
    }

    static func describe(_ definition: TableDefinition, now: Double) -> JSONValue {
        var recovery: [(key: String, value: JSONValue)] = []
        if let settings = definition.pointInTimeRecovery, settings.enabled {
            let window = window(settings, now: now)
            recovery = [
                ("PointInTimeRecoveryStatus", .string("ENABLED")),
                ("RecoveryPeriodInDays", .number(String(settings.recoveryPeriodInDays))),
                ("EarliestRestorableDateTime", .number(TableDescriptionWriter.timestamp(window.earliest))),
                ("LatestRestorableDateTime", .number(TableDescriptionWriter.timestamp(window.latest))),
            ]
        } else {
            recovery = [("PointInTimeRecoveryStatus", .string("DISABLED"))]
        }
        return .object(JSONObject([
            ("ContinuousBackupsStatus", .string("ENABLED")),
            ("PointInTimeRecoveryDescription", .object(JSONObject(recovery))),
        ]))
    }
}
