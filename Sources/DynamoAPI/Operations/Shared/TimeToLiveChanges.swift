import Synchronization

/// When each table's Time to Live setting last changed: for UpdateTimeToLive's cooldown (DynamoDB refuses another
/// change for an hour) and DescribeTimeToLive's ENABLING / DISABLING while a change settles. Kept in memory: a
/// restart forgets it, which only ever allows a change sooner and settles one at once.
package final class TimeToLiveChanges: Sendable {
    /// One change: when, whether it enabled TTL, and the attribute it named.
    struct Change {
        var time: Double
        var enabled: Bool
        var attribute: String
    }

    private let lastChange = Mutex<[String: Change]>([:])

    package init() {}

    /// True when the table's last change is older than `cooldown` seconds (or there was none).
    func mayChange(tableId: String, now: Double, cooldown: Double) -> Bool {
        lastChange.withLock { changes in
            guard let last = changes[tableId] else { return true }
            return now - last.time >= cooldown
        }
    }

    func recordChange(tableId: String, now: Double, enabled: Bool, attribute: String) {
        lastChange.withLock { $0[tableId] = Change(time: now, enabled: enabled, attribute: attribute) }
    }

    /// The table's change still settling (younger than `transition` seconds), if any.
    func settling(tableId: String, now: Double, transition: Double) -> Change? {
        lastChange.withLock { changes in
            guard let last = changes[tableId], now - last.time < transition else { return nil }
            return last
        }
    }
}
