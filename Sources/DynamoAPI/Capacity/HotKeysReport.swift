import Capacity
import JSON
import Storage

/// The `ContributorInsights` member of a table or index in the usage document: its most-accessed and most-throttled
/// keys over the last minute and the last hour, while insights are enabled for it.
enum HotKeysReport {
    static let windows: [(name: String, seconds: Double)] = [("LastMinute", 60), ("LastHour", 3600)]
    static let contributorsShown = 10

    static func member(_ resource: MeteredResource, definition: TableDefinition?, meter: CapacityMeter,
                       now: Double) -> (key: String, value: JSONValue)? {
        guard let definition, let settings = definition.contributorInsights[resource.indexName ?? ""],
              settings.enabled else { return nil }
        var members: [(key: String, value: JSONValue)] = [("Mode", .string(settings.mode))]
        let lists: [(name: String, kind: HotKeyTracker.Kind)] = [
            ("MostAccessedPartitionKeys", .accessedPartitionKeys), ("MostAccessedItemKeys", .accessedItemKeys),
            ("MostThrottledPartitionKeys", .throttledPartitionKeys), ("MostThrottledItemKeys", .throttledItemKeys),
        ]
        for window in windows {
            let ranked = lists.map { list -> (key: String, value: JSONValue) in
                let top = meter.hotKeys.top(resource, list.kind, windowSeconds: window.seconds,
                                            limit: contributorsShown, now: now)
                return (list.name, .array(top.map { contributor in
                    .object(JSONObject([("Key", .string(contributor.key)),
                                        ("Count", .number(String(contributor.count)))]))
                }))
            }
            members.append((window.name, .object(JSONObject(ranked))))
        }
        return ("ContributorInsights", .object(JSONObject(members)))
    }
}
