import Capacity
import DynamoModel
import JSON
import Storage

/// UpdateContributorInsights, DescribeContributorInsights and ListContributorInsights: per table and per global
/// index, whether the server counts the most-accessed and most-throttled keys (see `HotKeyTracker`).
///
/// Status follows DynamoDB's answers: an update answers `ENABLING` or `DISABLING` (an ENABLE that changes nothing
/// answers `ENABLED`), and the change has settled by the next Describe. A never-configured resource describes as
/// `DISABLED` without mode or update time; List shows only resources with insights on.
enum ContributorInsights {
    static let actions = ["ENABLE", "DISABLE"]
    static let modes = [ContributorInsightsSettings.accessedAndThrottled, ContributorInsightsSettings.throttledOnly]
    static let maximumListResults = 100

    static func update(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let indexName = try reader.string("IndexName")
        let action = try reader.string("ContributorInsightsAction")
        let requestedMode = try reader.string("ContributorInsightsMode")
        reader.validateTableNameOrArn(tableName, at: "tableName")
        reader.validateIndexName(indexName)
        reader.require(action != nil, at: "contributorInsightsAction")
        reader.validateEnum(action, at: "contributorInsightsAction", allowed: actions)
        reader.validateEnum(requestedMode, at: "contributorInsightsMode", allowed: modes)
        try reader.throwValidationErrors()
        guard let tableName, let action else { throw .validation("Missing required parameters") }

        let table = try TableLookup.table(tableName, in: context, wording: .table)
        let enable = action == "ENABLE"
        var status = ""
        var mode = ContributorInsightsSettings.accessedAndThrottled
        try table.updateDefinition { (definition: inout TableDefinition) throws(DynamoError) in
            try checkResource(indexName, of: definition)
            if enable {
                if definition.status == .creating {
                    throw .validation("Table or Index is not in a valid state to update Key Access Insights: "
                        + "TableStatus must be ACTIVE to enable ContributorInsights.")
                }
                if let indexName, let index = definition.globalSecondaryIndexes.first(where: { $0.name == indexName }),
                   index.status != "ACTIVE" {
                    throw .validation("Table or Index is not in a valid state to update Key Access Insights: "
                        + "IndexStatus must be ACTIVE to enable ContributorInsights.")
                }
            }
            let key = indexName ?? ""
            let current = definition.contributorInsights[key]
            if enable {
                // An ENABLE without a mode sets the default mode, as DynamoDB does.
                mode = requestedMode ?? ContributorInsightsSettings.accessedAndThrottled
                if let current, current.enabled, current.mode == mode {
                    status = "ENABLED"
                    return
                }
                let timestamp = current?.enabled == true ? current?.ruleTimestamp : nil
                definition.contributorInsights[key] = ContributorInsightsSettings(
                    enabled: true, mode: mode, lastUpdate: context.now,
                    ruleTimestamp: timestamp ?? Int64((context.now * 1000).rounded(.down)))
                status = "ENABLING"
            } else {
                // DISABLE echoes the current mode, not the one sent.
                mode = current?.mode ?? mode
                guard var settings = current, settings.enabled else {
                    status = "DISABLED"
                    return
                }
                settings.enabled = false
                settings.lastUpdate = context.now
                definition.contributorInsights[key] = settings
                status = "DISABLING"
            }
        }
        if !enable {
            let resource = CapacityGate.resource(of: table, in: context.namespace)
            context.meter.hotKeys.forget(indexName.map { resource.index($0) } ?? resource)
        }
        var output: [(key: String, value: JSONValue)] = [("TableName", .string(table.name))]
        if let indexName { output.append(("IndexName", .string(indexName))) }
        output.append(("ContributorInsightsStatus", .string(status)))
        output.append(("ContributorInsightsMode", .string(mode)))
        return .object(JSONObject(output))
    }

    static func describe(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let indexName = try reader.string("IndexName")
        reader.validateTableNameOrArn(tableName, at: "tableName")
        reader.validateIndexName(indexName)
        try reader.throwValidationErrors()
        guard let tableName else { throw .validation("Missing TableName") }
        let definition = try TableLookup.table(tableName, in: context, wording: .table).definition
        try checkResource(indexName, of: definition)

        var output: [(key: String, value: JSONValue)] = [("TableName", .string(definition.name))]
        if let indexName { output.append(("IndexName", .string(indexName))) }
        guard let settings = definition.contributorInsights[indexName ?? ""] else {
            output.append(("ContributorInsightsStatus", .string("DISABLED")))
            return .object(JSONObject(output))
        }
        if settings.enabled {
            output.append(("ContributorInsightsRuleList", .array(ruleNames(settings, indexName: indexName,
                                                                           of: definition).map(JSONValue.string))))
        }
        output.append(("ContributorInsightsStatus", .string(settings.enabled ? "ENABLED" : "DISABLED")))
        output.append(("LastUpdateDateTime", .number(TableDescriptionWriter.timestamp(settings.lastUpdate))))
        output.append(("ContributorInsightsMode", .string(settings.mode)))
        return .object(JSONObject(output))
    }

    static func list(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let nextToken = try reader.string("NextToken")
        let maxResults = try reader.integer("MaxResults")
        if let tableName { reader.validateTableNameOrArn(tableName, at: "tableName") }
        if let maxResults {
            reader.validate(maxResults <= Int64(maximumListResults), value: String(maxResults), at: "maxResults",
                            "Member must have value less than or equal to \(maximumListResults)")
        }
        try reader.throwValidationErrors()

        let tables: [Table]
        if let tableName {
            tables = [try TableLookup.table(tableName, in: context, wording: .table)]
        } else {
            tables = context.catalog.tableNames(in: context.namespace).compactMap {
                context.catalog.table(named: $0, in: context.namespace)
            }
        }
        // The table before its global indexes; a token names the last summary returned.
        var summaries: [(token: String, value: JSONValue)] = []
        for table in tables {
            let definition = table.definition
            let resources: [String?] = [nil] + definition.globalSecondaryIndexes.map(\.name)
            for indexName in resources {
                guard let settings = definition.contributorInsights[indexName ?? ""], settings.enabled else { continue }
                var members: [(key: String, value: JSONValue)] = [("TableName", .string(definition.name))]
                if let indexName { members.append(("IndexName", .string(indexName))) }
                members.append(("ContributorInsightsStatus", .string("ENABLED")))
                members.append(("ContributorInsightsMode", .string(settings.mode)))
                summaries.append(("\(definition.name)/\(indexName ?? "")", .object(JSONObject(members))))
            }
        }
        var start = 0
        if let nextToken, let position = summaries.firstIndex(where: { $0.token == nextToken }) {
            start = position + 1
        }
        let limit = maxResults.map { Int(max(1, $0)) } ?? maximumListResults
        let page = Array(summaries.dropFirst(start).prefix(limit))
        var output: [(key: String, value: JSONValue)] = [("ContributorInsightsSummaries", .array(page.map(\.value)))]
        if start + page.count < summaries.count, let last = page.last {
            output.append(("NextToken", .string(last.token)))
        }
        return .object(JSONObject(output))
    }

    /// DynamoDB's rule names: PKC (most accessed partition keys) unless only throttles are tracked, PKT, and with a
    /// sort key SKC and SKT; suffixed with the resource name and the time insights were enabled.
    static func ruleNames(_ settings: ContributorInsightsSettings, indexName: String?,
                          of definition: TableDefinition) -> [String] {
        let schema = indexName.flatMap { name in definition.globalSecondaryIndexes.first { $0.name == name }?.keySchema }
            ?? definition.keySchema
        var codes = settings.tracksAccesses ? ["PKC", "PKT"] : ["PKT"]
        if schema.sortKey != nil { codes += settings.tracksAccesses ? ["SKC", "SKT"] : ["SKT"] }
        let resource = indexName.map { "\(definition.name)-\($0)" } ?? definition.name
        return codes.map { "DynamoDBContributorInsights-\($0)-\(resource)-\(settings.ruleTimestamp)" }
    }

    /// Insights exist for the table and its global indexes; a local or unknown index is not found.
    private static func checkResource(_ indexName: String?, of definition: TableDefinition) throws(DynamoError) {
        guard let indexName else { return }
        guard definition.globalSecondaryIndexes.contains(where: { $0.name == indexName }) else {
            throw DynamoError(.resourceNotFound,
                              "Requested resource not found: Index: \(indexName) not found for table: \(definition.name)")
        }
    }
}
