import Synchronization

/// When each table's Time to Live setting last changed, for UpdateTimeToLive's cooldown (DynamoDB refuses another
/// change for an hour). Kept in memory: a restart forgets it, which only ever allows a change sooner.
package final class TimeToLiveChanges: Sendable {
    private let lastChange = Mutex<[String: Double]>([:])

    package init() {}

    /// True when the table's last change is older than `cooldown` seconds (or there was none).
    func mayChange(tableId: String, now: Double, cooldown: Double) -> Bool {
        lastChange.withLock { changes in
            guard let last = changes[tableId] else { return true }
            return now - last >= cooldown
        }
    }

    func recordChange(tableId: String, now: Double) {
        lastChange.withLock { $0[tableId] = now }
    }
}
