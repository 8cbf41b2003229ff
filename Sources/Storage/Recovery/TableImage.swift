import Dispatch
import DynamoModel
import Synchronization

/// A table's definition and items exactly as they stood after one change-log sequence number.
package struct TableImage: Sendable {
    package var namespace: Namespace
    package var definition: TableDefinition
    /// Every change up to and including this sequence number is in the image, none after it.
    package var sequence: UInt64
    package var items: [(key: EncodedKey, item: Item)]

    package init(namespace: Namespace, definition: TableDefinition, sequence: UInt64,
                 items: [(key: EncodedKey, item: Item)]) {
        self.namespace = namespace
        self.definition = definition
        self.sequence = sequence
        self.items = items
    }

    /// Total item size by DynamoDB's rules.
    package var sizeInBytes: Int { items.reduce(0) { $0 + ItemSize.of($1.item) } }

    /// Applies changes in order: each key ends as the last change left it.
    package mutating func apply(_ changes: [ChangeRecord]) {
        guard !changes.isEmpty else { return }
        var positions: [EncodedKey: Int] = [:]
        for (position, entry) in items.enumerated() { positions[entry.key] = position }
        var removed = Set<Int>()
        for change in changes {
            if let position = positions[change.key] {
                if let image = change.newImage {
                    items[position].item = image
                    removed.remove(position)
                } else {
                    removed.insert(position)
                }
            } else if let image = change.newImage {
                positions[change.key] = items.count
                items.append((change.key, image))
            }
            sequence = max(sequence, change.sequenceNumber)
        }
        if !removed.isEmpty {
            items = items.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        }
    }
}

/// Consistent images of live tables, taken without blocking writers.
///
/// The scan copies items in short batches while writers continue, so it may see some keys after later writes.
/// Every change with a sequence number past the starting point is observed meanwhile; the first such change of a
/// key carries (as its old image) the key's state at the starting point, which replaces whatever the scan saw.
package enum ConsistentSnapshot {
    /// How long to wait for changes whose sequence numbers were allocated during the scan to reach the observer.
    static let deliveryDeadlineSeconds = 30.0

    package static func capture(_ table: Table, observing fanOut: ChangeFanOut) -> TableImage {
        let observed = Mutex<[ChangeRecord]>([])
        let token = fanOut.observe(tableId: table.tableId) { records in
            observed.withLock { $0.append(contentsOf: records) }
        }
        defer { fanOut.stopObserving(token) }
        let start = table.lastSequenceNumber
        let definition = table.definition
        var items: [(key: EncodedKey, item: Item)] = []
        table.scan { key, item in
            items.append((key, item))
            return true
        }
        let end = table.lastSequenceNumber
        // A change's sequence number is allocated under the shard lock and handed over right after: wait for them
        // (only when this fan-out is the table's sink; otherwise no change ever arrives here).
        let observes = (table.changeSinkForTransactions as? ChangeFanOut) === fanOut
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(deliveryDeadlineSeconds * 1e9)
        var changes: [ChangeRecord] = []
        while true {
            changes = observed.withLock { $0 }.filter { $0.sequenceNumber > start }
            let delivered = Set(changes.lazy.map(\.sequenceNumber).filter { $0 <= end })
            if !observes || UInt64(delivered.count) >= end - start || DispatchTime.now().uptimeNanoseconds > deadline { break }
            usleepSeconds(0.001)
        }
        var positions: [EncodedKey: Int] = [:]
        for (position, entry) in items.enumerated() { positions[entry.key] = position }
        var restored = Set<EncodedKey>()
        var removed = Set<Int>()
        for change in changes.sorted(by: { $0.sequenceNumber < $1.sequenceNumber }) where !restored.contains(change.key) {
            restored.insert(change.key)
            if let position = positions[change.key] {
                if let old = change.oldImage {
                    items[position].item = old
                } else {
                    removed.insert(position)
                }
            } else if let old = change.oldImage {
                items.append((change.key, old))
            }
        }
        if !removed.isEmpty { items = items.enumerated().filter { !removed.contains($0.offset) }.map(\.element) }
        return TableImage(namespace: table.namespace, definition: definition, sequence: start, items: items)
    }

    private static func usleepSeconds(_ seconds: Double) {
        let semaphore = DispatchSemaphore(value: 0)
        _ = semaphore.wait(timeout: .now() + seconds)
    }
}
