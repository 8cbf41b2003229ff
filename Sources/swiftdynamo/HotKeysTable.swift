import JSON

/// Renders the contributor-insights part of the usage document (`swiftdynamo usage --hot`): for each table and index
/// with insights on, its most-accessed and most-throttled keys over the last minute and the last hour.
enum HotKeysTable {
    static let lists = [("MostAccessedPartitionKeys", "accessed partition key"),
                        ("MostAccessedItemKeys", "accessed item key"),
                        ("MostThrottledPartitionKeys", "throttled partition key"),
                        ("MostThrottledItemKeys", "throttled item key")]

    static func render(_ document: JSONValue) -> String {
        guard case .object(let root) = document else { return "" }
        var rows: [[String]] = [["TABLE", "INDEX", "WINDOW", "KIND", "COUNT", "KEY"]]
        for (_, accountValue) in UsageTable.object(root["Accounts"])?.members ?? [] {
            for table in UsageTable.array(UsageTable.object(accountValue)?["Tables"]) {
                guard let table = UsageTable.object(table) else { continue }
                let name = UsageTable.text(table["TableName"])
                rows += self.rows(table, table: name, index: "")
                for index in UsageTable.array(table["Indexes"]) {
                    guard let index = UsageTable.object(index) else { continue }
                    rows += self.rows(index, table: name, index: UsageTable.text(index["IndexName"]))
                }
            }
        }
        guard rows.count > 1 else { return "\nNo table or index has contributor insights enabled "
            + "(UpdateContributorInsights with ContributorInsightsAction ENABLE).\n" }
        return "\nHot keys (contributor insights):\n" + UsageTable.format(rows)
    }

    private static func rows(_ resource: JSONObject, table: String, index: String) -> [[String]] {
        guard let insights = UsageTable.object(resource["ContributorInsights"]) else { return [] }
        var rows: [[String]] = []
        for window in ["LastMinute", "LastHour"] {
            let ranked = UsageTable.object(insights[window])
            for (member, kind) in lists {
                for contributor in UsageTable.array(ranked?[member]) {
                    guard let contributor = UsageTable.object(contributor) else { continue }
                    rows.append([table, index, window == "LastMinute" ? "1 min" : "1 hour", kind,
                                 UsageTable.text(contributor["Count"]), UsageTable.text(contributor["Key"])])
                }
            }
        }
        if rows.isEmpty { rows.append([table, index, "", "(no keys counted yet)", "", ""]) }
        return rows
    }
}
